/** Usage lines of `handover eval` (kept apart so `handover help` loads no eval code). */
export const EVAL_USAGE = `  eval nlu FILE... [--report DIR]
                     Recognise labelled messages ({ text, locale, intent|null }) as a first turn:
                     a JSON line per message, summaries per locale and for all.
  eval sentiment FILE...
                     Score graded messages ({ text, locale, grade: none|mild|strong }): precision
                     and recall of the anger trigger per locale.
  eval scenarios FILE... [--report DIR]
                     Run scenarios, compare with expect, price them with the manifest's cost model,
                     beside a baseline that hands off only on the 3rd fallback.`;
