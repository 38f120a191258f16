import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_PII_SETTINGS, luhnValid, Redactor } from '../../../src/core/redact.js';
import { ManifestSchema } from '../../../src/config/manifest-schema.js';

const r = new Redactor();
const masked = (input: string, expected: string): void => assert.equal(r.text(input), expected, `input: ${input}`);
const untouched = (input: string): void => assert.equal(r.text(input), input, `must not be masked: ${input}`);

describe('Redactor (personal data masking)', () => {
  describe('cards', () => {
    it('masks Luhn-valid numbers of every network, bare, spaced or dashed, keeping the last 4', () => {
      masked('my card is 4242 4242 4242 4242', 'my card is •••• 4242');
      masked('card: 4111-1111-1111-1111 please', 'card: •••• 1111 please');
      masked('5555555555554444', '•••• 4444');
      masked('amex 3782 822463 10005', 'amex •••• 0005');
      masked('meu cartão é 5105 1051 0510 5100', 'meu cartão é •••• 5100');
      masked('mi tarjeta: 6011-1111-1111-1117.', 'mi tarjeta: •••• 1117.');
      masked('elo 6362 9700 0045 7013', 'elo •••• 7013');
      masked('diners 3056 9309 0259 04', 'diners •••• 5904');
      masked('order 4242424242424242 not delivered', 'order •••• 4242 not delivered');
      masked('two cards 4242424242424242 and 5555 5555 5555 4444', 'two cards •••• 4242 and •••• 4444');
    });

    it('masks a CVV typed after the card or after its keyword (en, pt-BR, es)', () => {
      masked('card 4242 4242 4242 4242 cvv 123', 'card •••• 4242 cvv •••');
      masked('4242 4242 4242 4242 123', '•••• 4242 •••');
      masked('my card is 4111-1111-1111-1111 exp 12/27 123', 'my card is •••• 1111 exp 12/27 •••');
      masked('cartão 5555555555554444, validade 08/29, código de segurança 321', 'cartão •••• 4444, validade 08/29, código de segurança •••');
      masked('tarjeta 378282246310005 código de seguridad: 1234', 'tarjeta •••• 0005 código de seguridad: •••');
      masked('the security code is 987', 'the security code is •••');
      masked('CVC: 4567', 'CVC: •••');
    });

    it('leaves Luhn-invalid numbers, phone numbers and numbers shaped unlike any card', () => {
      assert.equal(luhnValid('4242424242424241'), false);
      untouched('card 4242 4242 4242 4241');
      untouched('4242-4242-4242-4243');
      untouched('call +1 (415) 555-0132 or +55 11 98765-4321');
      untouched('whatsapp 5511987654321'); // 13 digits starting 55: no network has that shape
      untouched('tracking 1Z999AA10123456784');
      untouched('invoice 12345678901234567890123'); // longer than any card
      untouched('1234567812345670'); // Luhn-valid, but no card starts with 1
      untouched('phone 4915123456789'); // a 13-digit Visa shape without a card word nearby
    });
  });

  describe('SSN', () => {
    it('masks dashed or spaced numbers in the valid ranges and bare ones after "ssn"', () => {
      masked('my ssn is 123-45-6789', 'my ssn is •••-••-6789');
      masked('SSN 078 05 1120, thanks', 'SSN •••-••-1120, thanks');
      masked('social security number: 219099999', 'social security number: •••-••-9999');
    });

    it('leaves numbers outside the ranges, phone numbers, dates and bare 9 digits without the word', () => {
      untouched('000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000');
      untouched('call 415-555-0132');
      untouched('on 2024-12-03 at 10:30');
      untouched('order 123456789');
      untouched('ref 123-45-67890');
    });
  });

  describe('CPF', () => {
    it('masks formatted and bare CPFs with right check digits', () => {
      masked('meu cpf é 529.982.247-25', 'meu cpf é •••.•••.•••-25');
      masked('CPF 52998224725 por favor', 'CPF •••.•••.•••-25 por favor');
      masked('segue o documento 111.444.777-35', 'segue o documento •••.•••.•••-35');
      masked('cpf: 11987654374', 'cpf: •••.•••.•••-74'); // shaped like a mobile, but called a CPF
    });

    it('leaves wrong check digits, repeated digits, phones, CEPs and amounts', () => {
      untouched('cpf 529.982.247-26');
      untouched('111.111.111-11');
      untouched('me liga no 11987654374'); // valid check digits, but a mobile number and no "cpf"
      untouched('(11) 98765-4321');
      untouched('CEP 01310-100');
      untouched('R$ 1.234,56 e R$ 12.345.678,90');
      untouched('pedido K48213 de 03/12/2026');
    });
  });

  describe('passwords', () => {
    it('masks the value after the keyword and a joiner (en, pt-BR, es)', () => {
      masked('my password is hunter2.', 'my password is ••••••.');
      masked('password: Tr0ub4dor&3', 'password: ••••••');
      masked('pwd=s3cret!', 'pwd=••••••');
      masked('my pass is abc123', 'my pass is ••••••');
      masked('minha senha é gato123', 'minha senha é ••••••');
      masked('a senha era "abc 123" mas mudei', 'a senha era "••••••" mas mudei');
      masked('mi contraseña es Hola.2024 y no entra', 'mi contraseña es •••••• y no entra');
      masked('Contraseña: perro', 'Contraseña: ••••••');
    });

    it('leaves sentences about passwords that hold none', () => {
      untouched('I forgot my password');
      untouched('my password is wrong');
      untouched('my password is not working');
      untouched('a senha está errada');
      untouched('minha senha é inválida');
      untouched('mi contraseña es incorrecta');
      untouched('your boarding pass is ready');
      untouched('password reset please');
      untouched('the passport is here');
    });
  });

  it('leaves ordinary customer text alone (order numbers, amounts, ZIP codes, dates)', () => {
    for (const t of [
      'where is my order A12345?',
      'my order K48213 of $4,242.42 did not come, zip 94105',
      'meu pedido 123456 no valor de R$ 1.234,56, CEP 01310-100, chegou dia 12/03/2026',
      'mi pedido 98765 de 1.299,00 € llegó el 2026-12-03',
      'hello',
      '',
    ]) untouched(t);
  });

  it('redacts twice to the same text and reports what it found', () => {
    const once = r.text('card 4242424242424242 cvv 123 ssn 123-45-6789 cpf 529.982.247-25 password: x1');
    assert.equal(r.text(once), once);
    assert.deepEqual(
      r.find('card 4242424242424242 cvv 123 ssn 123-45-6789 cpf 529.982.247-25 password: x1').map((f) => f.pattern),
      ['cards', 'cvv', 'ssn', 'cpf', 'passwords'],
    );
  });

  it('follows the per-pattern settings: off keeps the value, a custom mask is used', () => {
    const custom = new Redactor({ ssn: { enabled: false, mask: '' }, cards: { enabled: true, mask: '[card ending {last4}]' } });
    assert.equal(custom.text('ssn 123-45-6789 card 4242424242424242'), 'ssn 123-45-6789 card [card ending 4242]');
    const off = new Redactor({ cards: { enabled: false, mask: 'x' }, cvv: { enabled: false, mask: 'x' }, ssn: { enabled: false, mask: 'x' }, cpf: { enabled: false, mask: 'x' }, passwords: { enabled: false, mask: 'x' } });
    assert.equal(off.enabled, false);
    assert.equal(off.text('4242424242424242 password: x'), '4242424242424242 password: x');
  });

  it('masks every string inside JSON-like values and copies only what changed', () => {
    const input = { id: 'c1', n: 4242424242424242, meta: { note: 'cpf 529.982.247-25', list: ['ok', 'pwd: abc'] }, same: { a: 'b' } };
    const out = r.value(input);
    assert.deepEqual(out, { id: 'c1', n: 4242424242424242, meta: { note: 'cpf •••.•••.•••-25', list: ['ok', 'pwd: ••••••'] }, same: { a: 'b' } });
    assert.equal(out.same, input.same);
    assert.equal(input.meta.note, 'cpf 529.982.247-25', 'the input is not changed');
    const clean = { a: 'hello', b: [1, 'two'] };
    assert.equal(r.value(clean), clean);
  });

  it('is configured from manifest.json → pii, defaults all on; a mask with digits is refused by name', () => {
    const base = JSON.parse(readFileSync(resolve(__dirname, '../../../manifest.json'), 'utf8')) as Record<string, unknown>;
    delete base['pii'];
    assert.deepEqual(ManifestSchema.parse(base).pii, DEFAULT_PII_SETTINGS);
    const bad = ManifestSchema.safeParse({ ...base, pii: { cards: { mask: '1234 {last4}' } } });
    assert.equal(bad.success, false);
    assert.match(JSON.stringify(bad.error?.issues), /pii.*cards.*mask|must not contain digits/);
  });
});
