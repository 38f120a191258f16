/**
 * The one logger (issue 18): the pino logger's JSON lines (levels, redacted secrets, child
 * bindings, LOG_LEVEL), its readable terminal lines, and the port's adapters for the older
 * two- and three-method loggers and for a caller's own pino.
 */
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createLogger, logFormatFromEnv, logLevelFromEnv, prettyLine } from '../../../src/server/pino-logger.js';
import { consoleLogger } from '../../../src/core/console-logger.js';
import { toLogger, type LoggerLike } from '../../../src/core/ports/logger.js';

function sink(): { write(s: string): void; text: string; json(): Array<Record<string, unknown>> } {
  const s = {
    text: '',
    write(chunk: string) {
      s.text += chunk;
    },
    json: () => s.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
  return s;
}

describe('the logger (pino behind core/ports/logger.ts)', () => {
  it('JSON: one line per event with level, time and msg; debug/info on stdout, warn/error on stderr; secrets redacted at any depth', () => {
    const out = sink();
    const err = sink();
    const log = createLogger({ format: 'json', level: 'debug', stdout: out, stderr: err });
    log.debug('turn', { conversation: 'c1' });
    log.info('signed in', { agent: 'ana', password: 'hunter2', token: 'abc', req: { headers: { authorization: 'Bearer xyz', cookie: 'sid=1' } } });
    log.warn('slow');
    log.error('failed', { nested: { deeper: { apiKey: 'k-123', secret: 's' } } });
    const [debug, info] = out.json();
    assert.equal(debug!['level'], 'debug');
    assert.equal(debug!['msg'], 'turn');
    assert.equal(debug!['conversation'], 'c1');
    assert.match(String(debug!['time']), /^\d{4}-\d\d-\d\dT/);
    assert.equal(info!['level'], 'info');
    assert.equal(info!['agent'], 'ana');
    assert.equal(info!['password'], '[redacted]');
    assert.equal(info!['token'], '[redacted]');
    assert.deepEqual(info!['req'], { headers: { authorization: '[redacted]', cookie: '[redacted]' } });
    assert.doesNotMatch(out.text, /hunter2|xyz|sid=1/);
    assert.deepEqual(
      err.json().map((l) => [l['level'], l['msg']]),
      [
        ['warn', 'slow'],
        ['error', 'failed'],
      ],
    );
    assert.deepEqual(err.json()[1]!['nested'], { deeper: { apiKey: '[redacted]', secret: '[redacted]' } });
    assert.doesNotMatch(err.text, /k-123/);
  });

  it('child bindings go on every line of the child, not of the parent; LOG_LEVEL drops what is below it', () => {
    const out = sink();
    const err = sink();
    const log = createLogger({ env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stdout: out, stderr: err });
    const web = log.child({ component: 'webchat' });
    web.child({ conversation: 'c9' }).info('opened', { n: 1 });
    web.debug('dropped at info');
    log.info('plain');
    const lines = out.json();
    assert.equal(lines.length, 2, out.text);
    assert.equal(lines[0]!['component'], 'webchat');
    assert.equal(lines[0]!['conversation'], 'c9');
    assert.equal(lines[0]!['n'], 1);
    assert.equal(lines[1]!['component'], undefined);
    assert.equal(err.text, '');
  });

  it('pretty: "HH:MM:SS LEVEL [component] message key=value", multi-line messages kept, secrets redacted', () => {
    const out = sink();
    const err = sink();
    const log = createLogger({ format: 'pretty', level: 'debug', stdout: out, stderr: err });
    log.child({ component: 'whatsapp-cloud' }).info('sent', { to: '5511', status: 200, note: 'two words', token: 't-1' });
    log.warn('first line\n  1. second line');
    assert.match(out.text, /^\d\d:\d\d:\d\d INFO {2}\[whatsapp-cloud\] sent to=5511 status=200 note="two words" token=\[redacted\]\n$/);
    assert.match(err.text, /^\d\d:\d\d:\d\d WARN {2}first line\n {2}1\. second line\n$/);
    assert.equal(prettyLine('not json\n'), 'not json\n');
  });

  it('the format and level come from the environment; bad values are configuration errors', () => {
    assert.equal(logFormatFromEnv({}, true), 'pretty');
    assert.equal(logFormatFromEnv({}, false), 'json');
    assert.equal(logFormatFromEnv({ NODE_ENV: 'production' }, true), 'json');
    assert.equal(logFormatFromEnv({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, false), 'pretty');
    assert.equal(logLevelFromEnv({}), 'info');
    assert.equal(logLevelFromEnv({ LOG_LEVEL: 'WARNING' }), 'warn');
    assert.throws(() => logLevelFromEnv({ LOG_LEVEL: 'loud' }), /HANDOVER_ERR_CONFIG_INVALID|LOG_LEVEL is "loud"/);
    assert.throws(() => logFormatFromEnv({ LOG_FORMAT: 'xml' }, true), /LOG_FORMAT is "xml"/);
  });

  it('toLogger: an old two-method logger gets warn (to error), debug (dropped) and child (bindings in the fields)', () => {
    const lines: string[] = [];
    const old: LoggerLike = { info: (m, f) => lines.push(`info ${m} ${JSON.stringify(f)}`), error: (m, f) => lines.push(`error ${m} ${JSON.stringify(f)}`) };
    const log = toLogger(old).child({ component: 'sla' });
    log.warn('late', { conversation: 'c1' });
    log.debug('nothing');
    log.info('ok');
    assert.deepEqual(lines, ['error late {"component":"sla","conversation":"c1"}', 'info ok {"component":"sla"}']);
  });

  it("toLogger: a caller's own pino is called the pino way (fields first), children included", () => {
    const out = sink();
    const theirs = pino({ base: null, timestamp: false }, out);
    toLogger(theirs).child({ component: 'middleware' }).info('handoff', { queue: 'billing' });
    assert.deepEqual(out.json(), [{ level: 30, component: 'middleware', queue: 'billing', msg: 'handoff' }]);
  });

  it('consoleLogger: "[component] message {fields}", warn and error on stderr, below its level dropped', () => {
    const out = sink();
    const err = sink();
    const log = consoleLogger({ bindings: { component: 'webchat' }, level: 'info', stdout: out, stderr: err });
    log.debug('dropped');
    log.info('opened', { conversation: 'c1' });
    log.child({ conversation: 'c2' }).error('failed');
    assert.equal(out.text, '[webchat] opened {"conversation":"c1"}\n');
    assert.equal(err.text, '[webchat] failed {"conversation":"c2"}\n');
  });
});
