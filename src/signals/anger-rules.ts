/**
 * What a support supervisor escalates, per locale: the rules and lexicons the sentiment scorer
 * reads on top of AFINN (see `sentiment.ts`). Every pattern runs on *folded* text: lower case,
 * accents removed ("cadê" → "cade", "vergüenza" → "verguenza"), curly quotes straightened and
 * letter runs shortened ("sooo" → "so", "pqppp" → "pqp"), so `\b` works on every word.
 *
 * Kinds of evidence:
 * - strong cues (each one escalates): threats (chargeback, lawyer, consumer agencies, public
 *   reviews), "never again", sarcastic thanks, exasperated repetition, profanity, insults and
 *   words of anger, shouting (see `sentiment.ts`);
 * - weak cues (two of them escalate): "!!!", an emphasised word, "again", "still nothing",
 *   "nobody answers", waiting for days…;
 * - spans removed before anything is read: polite and negated negatives ("not angry, just
 *   asking", "I hate to bother you", "não é reclamação") and positive slang ("crazy good price",
 *   "de puta madre", "foda demais").
 *
 * Written from support conversations as customers type them on WhatsApp, never from an eval set.
 */

export type Lang = 'en' | 'pt-BR' | 'es';

export interface LocaleRules {
  /** Polite or negated negatives: blanked before scoring. */
  readonly polite: readonly RegExp[];
  /** Positive slang built on negative or profane words: blanked, and the message reads as positive. */
  readonly positiveSlang: readonly RegExp[];
  /** Threats that count wherever they appear. */
  readonly threat: readonly RegExp[];
  /** Threats that count only after a marker of intention in the same sentence ("I'll", "vou", "voy a"). */
  readonly threatWithIntent: RegExp;
  /** A sentence that only asks about the thing ("how do I file a chargeback?") is no threat. */
  readonly enquiry: RegExp;
  /** Threat mentions disarmed by what precedes them ("vi no Reclame Aqui que…"). */
  readonly threatDisarm: RegExp;
  readonly neverAgain: readonly RegExp[];
  readonly sarcasm: readonly RegExp[];
  /** A clause that opens with praise ("great,", "ótimo,", "qué bien,")… */
  readonly sarcasmOpener: RegExp;
  /** …in a message about an exasperating event ("another delay", "de novo", "otra vez") is sarcasm. */
  readonly exasperatingEvent: RegExp;
  readonly repetition: readonly RegExp[];
  /** Profanity: escalates, unless it only intensifies praise ("damn fast", "bom pra caralho"). */
  readonly profanity: readonly RegExp[];
  /** Insults and words of anger (hedged ones — "a bit annoyed" — do not count). */
  readonly anger: readonly RegExp[];
  /** Public shaming (reviews, social media): a threat unless the message is praise ("posting it on insta, love it"). */
  readonly exposure: readonly RegExp[];
  /** Named weak cues: two distinct ones escalate. */
  readonly weak: Readonly<Record<string, RegExp>>;
  /** Thanks and praise: shouting or "!!!" in a positive message is joy, not anger. */
  readonly positive: RegExp;
  /** Praise that profanity may intensify right before it ("holy shit that was fast", "porra, que rápido", "no mames, qué barato"). */
  readonly praise: RegExp;
  /** An all-caps message with one of these demands something ("WHERE IS MY ORDER"). */
  readonly demand: RegExp;
  readonly hedges: readonly string[];
  readonly negators: ReadonlySet<string>;
  /** Phrases of frustration: weight added to the lexicon score. */
  readonly frustration: Readonly<Record<string, number>>;
  /** Lexicon words that carry no emotion in a shop's support chat ("fraud" is an intent; "cargos" are charges). */
  readonly neutral: ReadonlySet<string>;
}

const re = (s: string) => new RegExp(s);
const alt = (xs: readonly string[]) => `(?:${xs.join('|')})`;

// ---------------------------------------------------------------- English
const EN_ORDINAL = "(?:[3-9]|\\d{2,})(?:rd|th)?|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twentieth|hundredth|millionth|umpteenth|nth";
const EN_MANY = "twice|thrice|(?:\\d+(?:\\s*[-–/]\\s*\\d+)?|three|four|five|six|seven|eight|nine|ten|several|many|multiple|so many|countless|numerous|a few|a (?:million|hundred|thousand|dozen)) times";

const en: LocaleRules = {
  polite: [
    /\b(?:i )?hate to (?:bother|trouble|disturb|ask|say|be (?:a pain|that person|annoying|pushy)|chase|nag|rush)(?: you(?: guys)?)?\b/,
    /\bsorry (?:to|for) (?:bother\w*|troubl\w*|disturb\w*|be(?:ing)? (?:a pain|annoying|a nuisance|pushy)|the (?:trouble|hassle|bother|confusion|late reply|delay|spam|many messages)|ask\w*|chas\w*|nag\w*|writ\w* again|messag\w* again|all the questions)\b/,
    /\b(?:no|not a|not any|not an) (?:problem|problems|prob|probs|worries|worry|rush|hurry|big deal|biggie|issue|bother|stress|pressure|hard feelings|offen[sc]e|complaints?|emergency)\b/,
    /\bdon'?t (?:worry|stress|rush|hurry|panic)\b/,
    /\b(?:i'?m |i am |im |we'?re |we are )?not (?:at all |really |even |too |that |very )?(?:angry|mad|upset|annoyed|complaining|frustrated|furious|pissed|cross|irritated|bothered|worried|blaming (?:you|anyone))\b/,
    /\b(?:not|don'?t|do not) (?:mean|trying|meaning|want|wanting) to (?:be rude|complain|be difficult|be a pain|nag|rush you|be pushy|bother you|sound rude|sound angry)\b/,
    /\bcan'?t complain\b/,
    /\bnot bad\b/,
  ],
  positiveSlang: [
    /\b(?:crazy|insanely|insane|stupid|stupidly|ridiculously|ridiculous|sick|wicked|killer|damn|dang|hella|freaking|frickin\w*|fucking|fkn|effing|bloody|mad|absurdly|unreal|unbelievably|obscenely|scary|scarily|wildly|stupidly) (?:good|great|cheap|fast|quick|low|nice|cute|comfy|comfortable|soft|beautiful|gorgeous|pretty|awesome|amazing|cool|deal|deals|price|prices|value|helpful|easy|happy|fun|lovely|solid|sturdy|quality|love)\b/,
    /\b(?:killer|sick|insane|crazy|unreal|mad|wicked|stupid) (?:deal|deals|price|prices|offer|offers|discount|discounts|sale|sales|bargain|value)\b/,
    /\b(?:is|are|was|looks?|looking|so|totally|really|pretty) (?:sick|fire|lit|dope|killer|wicked|bad ?ass|the bomb|legit)\b(?! of\b)/,
    /\b(?:hell|heck|fuck|fucking|shit|damn) (?:yes|yeah|yea|yep|yass?)\b/,
    /\b(?:damn|dang|holy (?:shit|crap|cow|moly)|omg|wow),? (?:that'?s|this is|it'?s|these are|those are|you guys are|you'?re|so|what a|that was|this was)\b/,
    /\b(?:to die for|killing it|kills it|nailed it)\b/,
  ],
  threat: [
    /\b(?:talk|talking|speak|speaking|contact|contacting|call|calling|consult|consulting|involve|involving|get|getting|hire|hiring|send|sending|forward|forwarding|tell|telling|hear from|ask|asking|go to|going to|see|seeing|pass this to|passing this to)\b(?: \w+){0,4} (?:my |a |our )(?:lawyers?|attorneys?|solicitors?|legal (?:team|counsel|advisor|advice))\b/,
    /\b(?:my|our) (?:lawyers?|attorneys?|solicitors?|legal team) (?:will|is going|are going|'ll|gonna|can|knows|is (?:aware|involved|looking|handling|waiting)|has (?:been|all))\b|\blawyer(?:ing)? up\b|\blegal advice\b/,
    /\b(?:sue|suing) (?:you|u|ya|your|this|the|them|y'?all|everyone|every one)\b/,
    /\b(?:i'?ll|i will|going to|gonna|will be|i'?m) (?:sue|suing)\b/,
    /\b(?:legal action|legal proceedings|small claims|class action|take (?:you|this|it) to court|see (?:you|u|ya) in court|court case)\b/,
    /\bmy (?:bank|card company|credit card company|card issuer|amex|visa|mastercard|paypal) (?:is|are|will be|'s|has|have|already) (?:reversing|disputing|blocking|investigating|clawing|charging it back|opened a|filed a|opening a|filing a)\b/,
    /\breport(?:ing|ed)? (?:you|u|ya|this|them|y'?all|your (?:company|store|business|shop|site)|this (?:company|store|business|shop|site)) to\b/,
    /\b(?:bbb|better business bureau|ftc|federal trade commission|cfpb|trading standards|ombudsman|attorney general|citizens advice|consumer (?:protection|affairs|rights|agency|council|watchdog|bureau|ombudsman|commission|tribunal|advocate))\b/,
  ],
  exposure: [
    /\b(?:1|one|zero|0|no|single)[ -]?stars?\b/,
    /\b(?:leave|leaving|write|writing|post|posting|give|giving|put|putting|expect|expecting|get|getting|'ll|will|gonna)\b(?: \w+){0,4} (?:bad|negative|terrible|awful|horrible|scathing|honest|brutal|poor|lowest possible|1 star|one star|damning)(?: \w+)? (?:reviews?|ratings?|feedback)\b/,
    /\breviews? (?:everywhere|all over)\b/,
    /\b(?:post|posting|share|sharing|put|putting|tweet|tweeting|blast|blasting|expose|exposing|spread|spreading|tell|telling)\b[^.!?\n]{0,50}\b(?:twitter|facebook|fb|instagram|insta|tiktok|reddit|youtube|social media|socials|the internet|the news|everyone i know|all my friends|every(?:one|body) i know)\b/,
    /\beveryone (?:on \w+ )?(?:is going to|will|gonna|should|needs to|is gonna) (?:hear|know|see)\b/,
    /\b(?:i'?ll|i will|i'?m going to|im going to|i am going to|gonna|i'?m gonna)\b[^.!?\n]{0,40}\b(?:twitter|facebook|instagram|tiktok|reddit|youtube|social media|trustpilot|yelp|google reviews?)\b/,
    /\bgo(?:ing)? (?:public|viral|to the (?:press|media|news))\b/,
    /\b(?:contact|contacting|call|calling|alert|alerting) (?:the )?(?:press|media|news|reporters?)\b/,
    /\b(?:trustpilot|yelp|tripadvisor|sitejabber|google reviews?|review sites?)\b/,
    /\b(?:going|goes|go|will go|be going|ending up|end up) (?:up )?(?:on|to|all over) (?:reddit|twitter|facebook|tiktok|instagram|youtube|social media|the news|x)\b/,
    /\bmake sure (?:everyone|everybody|people|the world|all my friends|every(?:one|body) i know) (?:knows|hears|finds out|sees)\b/,
  ],
  threatWithIntent: re(
    `(?:\\b(?:i'?ll|i will|i'?m|im|i am|ima|i'?ma|gonna|going to|will be|about to|or i|or else|otherwise|then i|forced to|no choice but|have to|next step|next stop|i'?ve|i have|i already|i just|considering|thinking (?:about|of)|ready to|might|may (?:have|need) to|will have to)\\b|(?:^|[.!?,;:]\\s*)(?:filing|doing|opening|starting|calling|contacting|disputing|requesting|initiating))` +
      `[^.!?\\n]{0,45}?` +
      alt([
        'charge ?backs?',
        '(?:dispute|disputing|reverse|reversing|block|blocking|stop|stopping|cancel|cancell?ing) (?:the|this|that|it|these|those|my|your)(?: \\w+)? (?:charges?|payments?|transactions?)',
        '(?:call|calling|contact|contacting|ring|ringing|tell|telling|go to|going to|get|getting|ask|asking) (?:my )?(?:bank|card company|credit card company|card issuer|credit card|visa|mastercard|amex|american express|paypal|discover)',
        '(?:with|through|via) (?:my )?(?:bank|credit card company|card company|card issuer|credit card|paypal|amex|american express|visa|mastercard|discover)',
        '(?:my )?bank (?:to|will|can|and) (?:reverse|dispute|block|stop|cancel|claw|get)',
        '(?:paypal|bank) (?:dispute|claim)',
      ]),
  ),
  enquiry: /^\s*(?:(?:hi|hello|hey)\W+)?(?:how (?:do|can|does|would|to)\b|(?:can|could|do|does|did|is|are|was|what|should|would|when|where|why|has|have you)\b[^?]*\?)/,
  threatDisarm: /\b(?:saw|read|checked|according to|rated|rating|recommended|found you)\b[^.!?\n]{0,12}$/,
  neverAgain: [
    /\bnever (?:ever )?again\b/,
    /(?<!(?:i'?ve|have|has|had|i'?d) )\bnever (?:ever )?(?:gonna |going to |will |again |ever )?(?:order(?:ing)?|buy(?:ing)?|shop(?:ping)?|us(?:e|ing)|purchas(?:e|ing)|come back|coming back|recommend(?:ing)?|trust(?:ing)?|deal(?:ing)? with|return(?:ing)? to)\b[^.!?\n]{0,25}\b(?:again|from (?:you|u|ya|this|here|them|your)|with (?:you|u|ya|this|them|your)|here|you guys|this (?:store|company|site|shop|place|brand)|your (?:store|company|site|shop|brand))\b/,
    /\b(?:last|final) time (?:i|we)(?:'ll| will)? (?:\w+ )?(?:order|buy|shop|use|purchase)\w*\b/,
    /\b(?:you(?:'ve| have)?|u|y'?all) (?:just )?lost (?:a|my|your|one|another|me as a) (?:\w+ )?(?:customer|business|client)\b/,
    /\b(?:won'?t|will not|not going to|never going to|not gonna) (?:be )?(?:ordering|buying|shopping|purchasing|coming back|returning|recommending|order|buy|shop|purchase|come back|recommend)\b[^.!?\n]{0,25}\b(?:again|anymore|any more|ever|from (?:you|u|this|here)|with (?:you|u|this)|here|you guys)\b/,
    /\b(?:done|finished|through) (?:with|w) (?:you|u|ya|this (?:company|store|shop|site|place|bot)|your (?:company|store|shop|site)|y'?all|you guys|you people)\b/,
    /\b(?:take|taking) my (?:business|money) elsewhere\b/,
    /\b(?:you'?ve|you have|u|y'?all) (?:just )?lost me\b|\bnever (?:want to )?hear from (?:you|u|acme|this company) again\b/,
  ],
  sarcasm: [
    /\b(?:thank(?:s| you)|cheers|thx|ty|ta|much appreciated)(?: so much| a lot| very much| a bunch| again| for all| mate)? for (?:nothing|absolutely nothing|nada|ruining|wasting|ignoring|the runaround|being (?:useless|no help|so (?:useless|unhelpful))|(?:all )?your (?:"|')help|(?:all )?the (?:"|')help|making (?:this|it|things|my \w+) (?:so )?(?:hard|difficult|worse|impossible|miserable))\b/,
    /\b(?:great|wonderful|perfect|fantastic|brilliant|lovely|awesome|amazing|excellent|nice|terrific|superb|marvell?ous),? (?:just|simply|really|truly|absolutely) (?:great|wonderful|perfect|fantastic|brilliant|lovely|awesome|amazing|excellent|terrific|marvell?ous)\b/,
    /"(?:help|helping|support|service|customer service|customer support|express|fast|quick|priority|guaranteed|refund|policy)"/,
    /\byeah,? right\b/,
    /\b(?:just|exactly) what i (?:needed|wanted)\b/,
    /\b(?:great|good|amazing|excellent|fantastic|helpful|fast|quick)\b[^.!?\n]{0,30}\.{2,}\s*not\b/,
    /\b(?:great|good|amazing|excellent|fantastic|helpful|fast|quick)\b[^.!?\n]{0,30}\bnot!/,
    /\/s\s*$/,
    /\bgee,? (?:thanks|thank you)\b|\b(?:wow|gee|oh),? (?:so|super|very|really|real) helpful\b|\b(?:so|super|very|really|real) helpful\.{2,}/,
    /\b(?:hey|ok|okay|well|listen|thanks|thank you|great job|nice try|good job),? (?:genius|einstein|sherlock|smart guy|smartypants|rocket scientist)\b/,
  ],
  sarcasmOpener: /(?:^|[.!?,]\s+|\bjust )(?:brilliant|great|perfect|wonderful|fantastic|lovely|genius|awesome|amazing|super|splendid)[.!]*\s*$|(?:^|[.!?]\s+)(?:(?:oh|wow|well|yay|ah|gee|man|boy|ok|okay)\W+)?(?:great|wonderful|perfect|fantastic|brilliant|lovely|awesome|amazing|nice|cool|splendid|superb|terrific|excellent|marvell?ous|good job|great job|nice job|well done|bravo|congrats|congratulations|way to go|love (?:it|that))\b|\b(?:thanks|thank you) (?:a lot|so much|a bunch|a million)\b[\s.!]*$|\b(?:great|amazing|excellent|stellar|top notch|wonderful|fantastic|awesome|brilliant|outstanding) (?:customer )?(?:service|support|job|work|communication)\b/,
  exasperatingEvent: /another "|\b(?:another (?:\w+ )?(?:delay\w*|excuse|email|charge|week|day|month|problem|issue|mistake|error|useless|broken|automated|canned|generic|lie|wait|missed|failed|lost|late|wrong|cancell?ed|fake|empty)|again|yet again|delay(?:ed)? again|nothing(?! else)|ruin\w*|wast(?:e|ed|ing) (?:of )?(?:my|our)? ?(?:time|money|day)|ignor\w*|still (?:no|not|nothing|waiting)|never (?:arrived|came|showed up|got|received)|nobody|no one|noone|(?:charged|billed) (?:me )?(?:twice|again|double)|no (?:reply|answer|response|package|parcel|refund|update)|(?:\d+|two|three|four|five) (?:days|weeks|months) (?:and|with) (?:no|nothing|still)|(?:broken|damaged|wrong|late|missing|faulty) (?:too|as well|again)|managed to|twice|you (?:lost|broke|forgot|messed up|screwed up|cancell?ed))\b/,
  repetition: [
    re(`\\b(?:${EN_ORDINAL}) (?:message|msg|email|e-?mail|mail|chat|call|attempt|request|try|ticket|complaint|follow[- ]?up)s?\\b`),
    re(`\\b(?:${EN_ORDINAL}) time\\b[^.!?\\n]{0,25}\\b(?:ask|asking|asked|tell|telling|told|contact\\w*|writ\\w*|messag\\w*|call\\w*|email\\w*|explain\\w*|repeat\\w*|request\\w*|chas\\w*|reach\\w*|i'?ve|i have|i'?m|im|i am)\\b`),
    re(`\\b(?:ask|asking|asked|tell|telling|told|contact\\w*|writ\\w*|messag\\w*|call\\w*|email\\w*|explain\\w*|repeat\\w*|request\\w*|chas\\w*)\\b[^.!?\\n]{0,25}\\bfor the (?:${EN_ORDINAL}) time\\b`),
    re(`\\bfor the (?:${EN_ORDINAL}) time,`),
    re(`\\b(?:asked|told|said|explained|called|emailed|written|wrote|messaged|contacted|requested|repeated|sent|chased|reached out|given|gave|provided)\\b(?: \\w+){0,4} (?:${EN_MANY})\\b`),
    re(`\\b(?:${EN_MANY}) (?:already|now|before|today|this week|in a row)\\b`),
    /\bhow many (?:more )?times\b/,
    /\b(?:yesterday|last week|this morning|on monday|on friday) and (?:the day before|today|again|before that|last week|the week before)\b/,
    /\b(?:keep|kept|keeps) (?:sending|giving|telling|saying|asking|repeating|copying|pasting)\b[^.!?\n]{0,20}\b(?:same|that|it|this)\b/,
    /\b(?:do|does|did) (?:you|u|you people|you guys|anyone|anybody) (?:even )?(?:read|listen)\b/,
    /\b(?:i'?m|i am|im|keep) (?:repeating myself|going (?:round |around )?in circles)\b|\bgoing (?:round |around )?in circles\b|\bover and over(?: again)?\b/,
    /\b(?:read|reading) my (?:last |previous |earlier |first )?(?:message|messages|msg|email|comment|question)s?\b/,
    /\b(?:are|r) (?:you|u) (?:even )?(?:reading|listening|paying attention)\b|\bdid (?:you|u) (?:even )?read\b/,
    /\b(?:same|identical|copy[- ]?pasted?|canned|scripted) (?:answer|reply|response|message|link|thing|script)s?\b[^.!?\n]{0,25}\b(?:again|every ?time|over and over)\b/,
  ],
  profanity: [
    /\b(?:f|s|a|b)[*#@$%]{2,}\w*|[#@$%&*]{4,}|\bf\*+k\w*|\bsh\*t\w*/,
    /\b(?:fuck\w*|fu+ck\w*|fck\w*|fuk\w*|fkn|fkin|fking|effing|motherf\w*|wtf|wth|ffs|stfu|gtfo|omfg|jfc|shit\w*|bullshit|bs|crap|crappy|damn it|dammit|damnit|goddam\w*|god damn\w*|piss(?:ed|ing)?(?: off)?|bastards?|assholes?|arseholes?|a-holes?|dickheads?|douche\w*)\b/,
    /\b(?:what the (?:hell|heck|fuck|f|actual)|the hell|bloody hell|hell is (?:this|going on|wrong)|for (?:god'?s|christ'?s|pete'?s|heaven'?s|fuck'?s) sake)\b/,
  ],
  anger: [
    // insults to the company, its people or its bot
    /\b(?:idiots?|idiotic|morons?|moronic|imbeciles?|clowns?|jerks|thieves|crooks?|crooked|scammers?|scamming (?:me|us|people|customers)|scam (?:company|artists?|store|shop|business|site|operation)|rip[- ]?off|ripped (?:me |us )?off|ripping (?:me |us |people |customers )?off|robbing (?:me|us|people|customers)|robbed (?:me|us)|(?:you|u|ya|y'?all|they|acme|your company) (?:\w+ )?(?:stole|scammed)|stole (?:my|our) money|steal(?:ing)? (?:my|our|people'?s|customers'?) money|con ?artists?|conmen|liars?|frauds|fraudsters|bunch of (?:clowns|cowboys|monkeys|idiots|morons|thieves|crooks|liars|amateurs|incompetent\w*|scammers|muppets|jokers|useless \w+|crap))\b/,
    /\b(?:this|you|you guys|your company|your store|this company|this store|acme|what a|such a)(?:'s| is| are|'re| r)? (?:a |such a |total |complete |an absolute |one big |just a )?scam\b/,
    /\b(?:stop|you'?re|you are|u r|ur|you guys are|keep) lying\b/,
    /\b(?:pathetic|disgusting|disgrace(?:ful)?|shameful|shame on (?:you|u)|incompetent|incompetence|clueless|useless|worthless|garbage|trash|rubbish|(?:is|are|'s|'re|r|such|what|total|complete|absolute|whole) (?:a |such a |an absolute |a total |a complete |one big |just a )?joke|joke of a|piece of (?:crap|shit|junk|garbage|trash)|screw (?:you|u|this|them|y'?all)|stupid (?:bot|company|store|system|app|website|site|machine|robot|policy))\b/,
    // anger and exasperation
    /\b(?:unacceptable|outrageous|ridiculous|absurd|insulting|infuriating|unbelievable|appalling|atrocious|horrendous|inexcusable|unreal)\b/,
    /\b(?:furious|livid|fuming|enraged|outraged|irate|seething|pissed)\b/,
    /\b(?:i'?m|i am|im|we'?re|we are|getting|so|really|very|extremely|absolutely|beyond)(?: \w+)? (?:angry|mad|upset)\b(?! (?:that|if|because|to|about (?:it|the colou?r)))/,
    /\b(?:angry|mad|upset) (?:at|with) (?:you|u|ya|y'?all|your|this)\b/,
    /\b(?:sick (?:to death |and tired )?of|fed up|had (?:it|enough)|enough is enough|last straw|beyond (?:annoyed|frustrated|angry|fed up|disappointed|a joke|ridiculous|frustrating)|at (?:the end of )?my wits'? end|losing (?:my )?patience|lost (?:my )?patience|out of patience|running out of patience|had it up to)\b/,
    /\b(?:are|r) (?:you|u|ya) (?:kidding|serious|joking|for real)\b|\bkidding me\b|\b(?:got|gotta|have) (?:to )?be kidding\b/,
    /\b(?:worst|terrible|horrible|awful|appalling|atrocious|lousy|crappy|shocking|dreadful|abysmal|diabolical|woeful|shambolic|rubbish|shoddy|shite|shitty) (?:service|support|company|store|shop|experience|customer service|bot|app|website|delivery|courier)\b/,
    /\b(?:waste|wasting|wasted) (?:of )?(?:my |our )?(?:time|money)\b/,
    /\b(?:i|we) hate (?:you|this|your|ur|u|dealing|how)\b/,
    /\b(?:you|u|ya|y'?all|you guys|your company) should (?:be|feel) (?:ashamed|embarrassed)\b|\bashamed of (?:yourselves|yourself|your company)\b/,
    /\b(?:you|u|ya|y'?all|you guys|you people|this|your (?:company|service|store|support|app|bot|shop)|acme|this company|this place) (?:\w+ )?(?:suck|sucks|stinks|blows)\b/,
    /\b(?:absolutely|utterly|truly|frankly|simply|just) (?:shocking|appalling|disgusting|dreadful|abysmal|pathetic|terrible|horrendous|awful|unacceptable|ridiculous|atrocious|diabolical)\b/,
    /\bwhat(?:'s| is| the hell is| the heck is) wrong with (?:you|u|ya|y'?all|your|this company|this store|you people|you guys)\b|\b(?:is this|this is|that'?s) how (?:you|u) treat (?:your )?(?:customers|clients|people)\b/,
    /\b(?:i'?m|im|i am) (?:so |completely |totally |just |officially )?done(?: with (?:this|you|u|your|acme|the company|this company|this store|it|\w+ for good))?\s*[.!]*\s*$|\bdone with \w+ for good\b/,
    /\b(?:you|u|you people|you guys|your (?:staff|agents|people|team|bot|support)) (?:\w+ )?(?:don'?t|do not|doesn'?t) know (?:anything|a thing|what (?:you'?re|they'?re|you are|they are) doing)\b|\b(?:your (?:staff|agents|people|team)) know nothing\b/,
    /\b(?:someone|somebody|anyone|a person) (?:who|that) (?:actually )?(?:knows what (?:they'?re|they are) doing|can do (?:their|the) job|is competent|has a brain)\b|\b(?:do|doing) your (?:damn |bloody |fucking )?job\b|\blearn to do your job\b/,
    /\b(?:harass\w*|disrespectful|no respect for (?:your )?customers|so rude|extremely rude|rude staff)\b/,
    /\bhow (?:hard|difficult|complicated) (?:is it|can it be|could it be|is this)\b|\bhow (?:many more (?:times|weeks|days|months|emails|messages)|much longer)\b/,
    /\bcan'?t believe (?:how (?:bad|terrible|awful|slow|rude|useless|incompetent|hard|difficult|long|badly|poorly)|this is (?:happening|still)|you (?:did|would|people|guys|charged|cancell?ed|lost|still|keep)|what (?:a|you|i'?m))\b/,
    /\b(?:ignoring|ignored|ignore|ignores) (?:me|us|my (?:messages|emails|calls|requests?|complaints?|questions?))\b|\bbeing ignored\b|\bhow dare (?:you|u)\b|\bcan'?t keep (?:doing|treating|charging|lying|ignoring|sending)\b/,
    /\b(?:robbery|daylight robbery|highway robbery|extortion|screw(?:ed|ing)? (?:me|us|customers|people)(?: over)?|cheated|cheating (?:me|us|customers)|rip (?:me|us|people) off)\b/,
    /\b(?:this is|that'?s|it'?s|this is just) (?:illegal|criminal|theft|a crime|stealing|false advertising|bait and switch)\b|\b(?:know|enforce|exercise|assert) my (?:consumer |legal )?rights\b/,
    /\b(?:hope (?:you|u|your company|y'?all) (?:go (?:bust|bankrupt|broke|out of business|under)|rot|burn|fail|get sued))\b/,
    /\b(?:never (?:seen|had|experienced) (?:such|a|an|so)(?: \w+){0,2} (?:bad|poor|terrible|awful|shoddy|worse|incompetent|rude|useless))\b|\b(?:such a|what a) (?:bad|terrible|poor|useless|pathetic|shoddy|shit|crap|crappy|awful|horrible|joke of a|sorry excuse for a) (?:company|service|store|shop|experience|business|website|bot)\b|\bgood for nothing\b|\bunprofessional\b/,
    /\b(?:so|really|very|extremely|incredibly|super|beyond|absolutely|unbelievably|seriously|totally|utterly) (?:frustrat\w*|infuriat\w*|aggravat\w*|irritat\w*|exasperat\w*)\b|\bfrustrated beyond\b/,
    /\b(?:this is|that'?s|you are|you'?re|u r|ur|you guys are|your company is) (?:the|literally the|actually the|honestly the) worst\b|\bworst\b[^.!?\n]{0,30}\bever\b/,
    /\b(?:i'?m|im|i am) (?:so |really |completely |totally |just )?over (?:this|it|you|u|your)\b|\bjust wow\b|\bi swear (?:to god|to god if|if)\b|\bswear to god\b/,
    /\b(?:complete|total|absolute|utter|such a|what a|this is a|it'?s a) (?:shambles|farce|disaster|mess|nightmare|shitshow|circus|clown show|dumpster fire|disgrace|embarrassment|con|lie)\b|\b(?:shambolic|embarrassing)\b/,
    /\b(?:you|u|ya|y'?all|you guys|u all|you all|you people)(?: \w+){0,2} (?:being |are |r |is )?(?:stupid|dumb|idiots?|morons?|clowns?|useless|incompetent|pathetic|liars?|thieves|crooks|a joke|ridiculous|unbelievable|shameless)\b/,
    /\b(?:you|u|ya|they) (?:lied|lie|are lying|keep lying)\b|\b(?:just|a|another|all) (?:lies|lie)\b|\blying to (?:me|us|customers|your customers)\b/,
    /\b(?:take|taking|treat|treating) (?:me|us|customers) (?:for|like) (?:a fool|fools|an idiot|idiots|stupid|a joke|garbage|dirt)\b|\bthink (?:i'?m|i am|we'?re) (?:stupid|an idiot|a fool|dumb)\b/,
    /\bi (?:want|demand) (?:my money back|a refund)\b[^.!?\n]{0,20}\b(?:now|immediately|today|asap|right now)\b/,
  ],
  weak: {
    exclaim: /[!?]{3,}|\?{2,}[^?]*\?{2,}|!{2,}[^!]*!{2,}/,
    again: /\b(?:again|yet again|once again|one more time)\b/,
    stillNothing: /\band (?:still )?nothing\b|\bstill (?:no|not|nothing|waiting|haven'?t|hasn'?t|don'?t|didn'?t|can'?t|wrong|broken)\b|\b(?:no|zero) (?:response|reply|answer|update|news|help)s? (?:yet|at all|whatsoever|since)\b/,
    nobody: /\b(?:nobody|no one|noone|no-one|no body)\b[^.!?\n]{0,20}\b(?:answer|answers|answered|repl\w*|respond\w*|help\w*|cares?|gets? back|call\w* back|fix\w*|tell\w*)\b/,
    waitedLong: /\bfor (?:days|weeks|months|ages)(?: now)?\b|\b(?:days|weeks|months) now\b|\b(?:waiting|waited|wait|been)\b(?: for)?(?: over| more than| almost| nearly)? (?:\d+|two|three|four|five|six|several|many|a|an) (?:days|weeks|months|hours|week|month)\b|\b(?:\d+|two|three|four|five|six|several) (?:days|weeks|months) (?:and (?:still|nothing)|now|of waiting)\b/,
    nudge: /\b(?:hello|helo|anyone|anybody|someone|hey)\b\s*[?!]*\?[?!]+|\?{2,}\s*(?:anyone|anybody|hello)\b|\b(?:is |are )?(?:anyone|anybody|someone|somebody|you) (?:there|here|home|alive|awake|working|listening)\s*\?/,
    correction: /\b(?:in|on) my (?:first|last|previous|earlier|original) (?:message|msg|email|chat)\b|\bi (?:said|asked for|wanted)\b[^.!?\n]{1,30}\bnot\b|\b(?:i )?(?:already|just) (?:told|said|explained|gave|sent)\b/,
    demanding: /\b(?:just|simply) (?:refund|give|send|answer|fix|tell|cancel|do|reply|respond)\b|\b(?:answer|reply|respond) (?:me|my question)\b|\bstop (?:sending|telling|asking|giving|ignoring|replying with)\b|\b(?:right now|immediately|asap|now!)\b|(?:^|\s)now[.!]*\s*$|\byou people\b|\bstop (?:charging|billing|calling|emailing|spamming|texting)\b/,
    staccato: /(?:^|[.!?]\s*)\w+\. \w+\. \w+[.!]/,
    whyHard: /\bwhy (?:is|does) (?:this|it|everything) (?:so )?(?:hard|difficult|complicated|take so long)\b|\bseriously\b|\bunbelievable\b|\bcome on\b/,
  },
  positive: /\b(?:thank|thanks|thx|ty|tysm|love|loved|great|awesome|amazing|perfect|congrats|happy|excited|yay|beautiful|lovely|appreciate|appreciated|wonderful|fantastic|brilliant|excellent|good|nice|cool)\b/,
  praise: /\b(?:good|great|amazing|awesome|love|loved|lovely|beautiful|gorgeous|perfect|fast|quick|cheap|nice|cool|comfy|brilliant|fantastic|excellent|thanks|thank you|wow|yes|gorgeous|stunning|cute|happy)\b/,
  demand: /\b(?:where|why|now|answer|refund|want|give|stop|asap|immediately|still|again|never|nobody|cancel|back|wtf|what|help me|fix)\b/,
  hedges: ['a little', 'a bit', 'a tad', 'little bit', 'kinda', 'kind of', 'sort of', 'sorta', 'slightly', 'somewhat', 'mildly', 'bit', 'not too', 'not very'],
  negators: new Set(["not", "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'wasnt', "aren't", 'arent', "can't", 'cant', 'cannot', "won't", 'wont', 'never', 'no', 'non', 'without', "ain't", 'aint', 'hardly', "wouldn't", 'wouldnt', "shouldn't", 'shouldnt', "haven't", 'havent', "hasn't", 'hasnt']),
  frustration: {
    ridiculous: -3, 'worst service': -3, 'worst ever': -2, furious: -3, useless: -3, unacceptable: -3,
    'fed up': -4, 'sick of': -4, 'sick and tired': -4, 'this is a joke': -4, 'waste of time': -4, 'wasting my time': -4,
    pathetic: -2, incompetent: -3, 'terrible service': -3, 'awful service': -3, frustrated: -2,
    frustrating: -2, annoyed: -1, fuck: -2, wtf: -3, 'stupid bot': -4, garbage: -2, outrageous: -3,
    'am angry': -3, 'so angry': -3, piss: -2, scam: -2, scammers: -4, thieves: -4, clowns: -3, 'rip off': -3,
    'what the hell': -3, bullshit: -3, crap: -2, unbelievable: -2, disappointed: -1, 'not happy': -1,
    'so annoying': -2, 'really annoying': -2, 'getting annoying': -1,
  },
  neutral: new Set(['fraud', 'fraudulent', 'charged', 'charges', 'charge', 'lost', 'dispute', 'disputes', 'disputed', 'cancel', 'cancelled', 'canceled', 'pay', 'payment', 'debt', 'sue', 'suing', 'no', 'please', 'sick', 'stuck', 'killer', 'crazy', 'insane', 'damn', 'hell', 'hard', 'want', 'like']),
};

// ---------------------------------------------------------------- Português (Brasil)
const PT_ORDINAL = '(?:[3-9]|\\d{2,})[ao]?|terceir[ao]|quart[ao]|quint[ao]|sext[ao]|setim[ao]|decim[ao]|milesim[ao]|enesim[ao]';
const PT_MANY = '(?:\\d+|duas|tres|quatro|cinco|seis|dez|varias|mil|muitas|inumeras|umas?|milhoes de) vezes';
const PT_INTENT =
  '\\b(?:vou|vamos|irei|iremos|vai|vao|ja (?:abri|fiz|registrei|coloquei|entrei|liguei|acionei|pedi|denunciei)|to indo|tou indo|estou indo|ou eu|senao|se nao|caso contrario|proximo passo|vou ter que|tenho que|terei que|preciso|abrir|registrar|fazer|entrar)\\b';

const pt: LocaleRules = {
  polite: [
    /\b(?:nao|n|nem)(?: \w+){0,2} (?:irritad[oa]s?|brav[oa]s?|chatead[oa]s?|nervos[oa]s?|com raiva|put[oa]s?|reclamando|zangad[oa]s?|furios[oa]s?|estressad[oa]s?|revoltad[oa]s?)\b/,
    /\b(?:nao|n|nem) (?:e|eh|e uma|eh uma|to fazendo|estou fazendo|quero fazer) (?:uma )?(?:reclamacao|critica|queixa|bronca)\b/,
    /\b(?:desculp\w*|perdao|perdoa|foi mal|sinto muito|mil desculpas)(?: \w+){0,2} (?:incomodar|incomodo|encher|a demora|insistir|perguntar|a insistencia|o transtorno|as mensagens|tanta mensagem|mandar de novo)\b/,
    /\b(?:sem|nenhum|nao tem|nao ha|nao tem nenhum) (?:problemas?|stress|estresse|pressa|crise|grilo|estresse)\b/,
    /\bnao (?:se )?preocup\w*\b/,
    /\bnao precisa (?:se preocupar|correr|ter pressa)\b/,
    /\bnao (?:tenho|tem|ha) pressa\b/,
    /\bnao e (?:nada )?grave\b/,
    /\bodeio (?:incomodar|ter que (?:incomodar|perguntar|insistir)|encher)\b/,
  ],
  positiveSlang: [
    /\b(?:foda|fodastico|fodastica|muito foda|mo foda|do caralho|da porra|do krl|irado|sinistro|animal|brabo|braba|monstro|top demais)\b(?: demais)?(?=[^.!?\n]{0,25}\b(?:demais|bom|boa|barat\w*|lind\w*|rapid\w*|amei|perfeit\w*|gostei|top|tem|quero|vou levar)\b|\s*[!.]*\s*$)/,
    /\b(?:absurd\w*|uma loucura|loucura|insano|surreal|ridicul\w*|sinistro|monstro|assustadoramente) (?:de )?(?:bom|boa|bons|boas|barat\w*|lind\w*|rapid\w*|macio|confortavel|perfeit\w*|gostos\w*)\b/,
    /\b(?:bom|boa|barat\w*|lind\w*|rapid\w*|top|gostos\w*|macio) (?:pra|para) (?:caralho|caramba|krl|crl|cacete|porra|kct|cacilda)\b/,
    /\bpreco (?:absurdo|insano|surreal)\b(?=[^.!?\n]{0,20}\b(?:bom|barat\w*|vou levar|quero|levar)\b)/,
  ],
  threat: [
    /\b(?:procon|consumidor\.?gov|consumidor gov|defesa do consumidor|codigo de defesa do consumidor|cdc|banco central|bacen|anatel|juizado|pequenas causas|danos morais|acao judicial|processo judicial|judicialmente)\b/,
    /\breclame ?aqui\b/,
    /\b(?:meu|minha|nosso|o meu) (?:advogad[oa]|juridico)\b (?:vai|vao|ja|esta|ta|vai entrar|entrara|sabe|tem)\b|\b(?:falar|falando|acionar|acionando|chamar|consultar|contratar|procurar|ligar|passar|mandar|encaminhar)\b(?: \w+){0,3} (?:advogad[oa]|juridico)\b|\bcom (?:meu|o meu|um) advogad[oa]\b/,
    /\b(?:meter|abrir|entrar com|mover|botar) (?:um |uma )?(?:processo|acao)\b|\b(?:vou|vamos|irei|posso|vai|quero|ameaco|vou ter que|ja vou) (?:te |os |las |lhes |vcs |voces )?processar\b|\bprocessar (?:voces|vcs|a empresa|a loja|essa empresa|essa loja|a acme|vc|voce)\b|\b(?:processo contra|entrar na justica|na justica|acionar a justica|botar na justica|colocar na justica)\b/,
    /\b(?:contestar|contestacao|contesto|cancelar|cancelamento|estornar|estorno|chargeback|disputa)\b(?: \w+){0,3} (?:no|do|com o|com a|junto ao|junto a|pelo|via|na) (?:cartao|banco|emissor|operadora)\b/,
    /\b(?:atras dos|correr atras dos|buscar|exigir|conheco|fazer valer|lutar pelos) (?:meus|nossos) direitos\b|\b(?:isso e|e|isso eh|isso ai e) (?:crime|ilegal|estelionato|propaganda enganosa)\b/,
  ],
  exposure: [
    /\b(?:expor|expondo|exponho|denunciar|denunciando)\b(?: \w+){0,2} (?:voces|vcs|vc|a empresa|essa empresa|a loja|essa loja|tudo|nas redes)\b/,
    /\b(?:postar|postando|publicar|colocar|botar|espalhar|contar|falar|expor|barraco|escandalo)\b[^.!?\n]{0,30}\b(?:redes sociais|instagram|insta|twitter|facebook|face|tiktok|youtube|internet|todo mundo)\b/,
    /\b(?:vou|vamos|irei|ja)\b[^.!?\n]{0,40}\b(?:redes sociais|instagram|twitter|tiktok|facebook|youtube)\b/,
    /\b(?:vou|ja to|ja estou|estou|to)\b[^.!?\n]{0,20}\b(?:escrev|deix|coloc|post|avali)\w*\b(?: \w+){0,3} (?:avaliacao|review|resenha|comentario|reclamacao)\w*\b/,
    /\b(?:1|uma|zero|0|nenhuma) estrelas?\b/,
    /\bavaliac(?:ao|oes) (?:negativa|ruim|pessima|horrivel)\b|\b(?:avaliar|avaliacao|nota) (?:com )?(?:1|uma|zero|0)\b/,
  ],
  threatWithIntent: re(`${PT_INTENT}[^.!?\\n]{0,45}?${alt(['chargeback', 'contestar (?:a|essa|esta) (?:compra|cobranca|transacao)', '(?:ligar|ligando|reclamar|falar) (?:no|pro|para o|com o) (?:banco|cartao)', 'acionar o (?:banco|cartao)', 'bloquear o (?:cartao|pagamento)'])}`),
  enquiry: /^\s*(?:(?:oi|ola|bom dia|boa tarde|boa noite)\W+)?(?:como (?:faco|faz|posso|eu|se|que|contesto|abro|funciona)\b|(?:posso|pode|podem|da pra|e possivel|o que|qual|quando|onde|por que|devo|tem como)\b[^?]*\?)/,
  threatDisarm: /\b(?:vi|li|olhei|pesquisei|segundo|conforme|vendo|nota|reputacao|avaliacao)\b[^.!?\n]{0,15}$/,
  neverAgain: [
    /\bnunca mais\b(?! (?:tive|tivemos|deu) problema)/,
    /\bjamais (?:compro|volto|comprarei|voltarei|pe[cç]o|indico)\b/,
    /\b(?:ultima|ultimo) (?:vez|pedido|compra) (?:que )?(?:eu )?(?:compro|peco|faco|uso|com voces|aqui|nessa)\b/,
    /\bperderam (?:um|uma|mais um|mais uma) (?:cliente|compradora?)\b|\b(?:voces|vcs|vc) (?:acabaram de )?me perderam\b/,
    /\bnao (?:compro|peco|volto a comprar|vou comprar|indico) mais\b/,
    /\bnao (?:volto|vou voltar) (?:a comprar|nunca|aqui|mais)\b/,
    /\b(?:vou|vamos) (?:comprar|pedir) (?:na|no|em) (?:concorrencia|outra loja|outro lugar)\b/,
  ],
  sarcasm: [
    /\b(?:obrigad[oa]|brigad[oa]|valeu|vlw|agradeco) (?:mesmo |muito )?(?:por|pela|pelo) (?:me fazer perder|fazer perder|perder|nada|absolutamente nada|nao resolver|me ignorar|ignorar|ajuda nenhuma|nenhuma ajuda)\b/,
    /\bso que nao\b/,
    /\bparabens (?:pelo|pela|pro|pra|a|ao|aos|por) (?:servico|atendimento|descaso|empresa|pessimo|pessima|desrespeito|incompetencia|demora|atraso|bagunca)\b/,
    /\b(?:que )?(?:otimo|maravilha|perfeito|excelente|beleza|show)(?: de bola)?,? (?:mesmo|viu|hein|ne)\b[^.!?\n]{0,30}\b(?:atraso|de novo|outra vez|nada|mais um|mais uma)\b/,
    /"(?:ajuda|atendimento|suporte|servico|expressa|rapida|rapido|garantia|politica)"/,
    /\bsqn\b/,
    /\b(?:util|bom|boa|rapido|excelente|otimo|eficiente|ajudou|ajuda)\b[^.!?\n]{0,30}(?:\.{2,}|\()\s*(?:so que )?nao\b/,
    /\b(?:ei|ok|valeu|parabens|obrigad[oa]|muito bem),? (?:genio|sherlock|einstein|espertao|espertinho)\b/,
  ],
  sarcasmOpener: /\b(?:atendimento|servico|suporte|trabalho|empresa) (?:maravilhos[oa]|excelente|otimo|nota (?:10|dez|mil)|impecavel|de primeira|exemplar)\b|(?:^|[.!?,]\s+)(?:otimo|maravilha|perfeito|excelente|show|lindo)[.!]*\s*$|(?:^|[.!?]\s+)(?:(?:nossa|uau|ah|ai|oba|ok)\W+)?(?:otimo|maravilha|maravilhoso|perfeito|excelente|que beleza|beleza|show|parabens|muito bom|que otimo|legal|lindo|adorei|amei|que maravilha|top)\b|\b(?:obrigad[oa]|valeu) (?:mesmo|viu|hein)\b[\s.!]*$|\b(?:otimo|excelente|maravilhoso|belo|lindo) (?:atendimento|servico|trabalho|suporte)\b/,
  exasperatingEvent: /\b(?:mais (?:um|uma) (?:\w+ )?(?:atraso|atrasad[oa]|problema|erro|dia|semana|mes|email|e-mail|link|desculpa|cobranca|mensagem|perdid[oa]|extraviad[oa]|errad[oa]|quebrad[oa]|cancelad[oa])|outr[ao] (?:\w+ )?(?:desculpa|semana|cobranca|atraso|erro|perdid[oa]|extraviad[oa]|errad[oa]|quebrad[oa]|cancelad[oa])|de novo|outra vez|novamente|(?<!de )nada(?! mais)|nenhum(?:a)? (?:resposta|retorno|solucao)|sem (?:resposta|retorno|solucao|noticias)|(?:quebrad[oa]|errad[oa]|com defeito|atrasad[oa]) (?:tambem|de novo)|atras\w*|ignor\w*|ainda (?:nao|nada|sem|esperando)|nunca (?:chegou|veio|responderam)|ninguem|(?:cobr\w*) (?:de novo|duas vezes|dobrado))\b/,
  repetition: [
    re(`\\b(?:${PT_ORDINAL}) (?:mensagem|msg|mensagens|email|e-mail|reclamacao|ligacao|tentativa|chamado|protocolo|pedido de ajuda)s?\\b`),
    re(`\\b(?:${PT_ORDINAL}) vez\\b[^.!?\\n]{0,25}\\b(?:pergunt\\w*|pe[cç]o|pedi|pedindo|fal\\w*|escrev\\w*|mand\\w*|entr\\w* em contato|lig\\w*|reclam\\w*|expli\\w*|repit\\w*|cobr\\w*|disse|digo)\\b`),
    re(`\\bpela (?:${PT_ORDINAL}) vez\\b`),
    /\b(?:ontem|semana passada|hoje cedo) e (?:anteontem|hoje|de novo|antes de ontem|na semana anterior)\b/,
    re(`\\b(?:ja )?(?:falei|disse|pedi|expliquei|mandei|informei|enviei|perguntei|repeti|escrevi|liguei|reclamei|passei)\\b(?: \\w+){0,4} (?:${PT_MANY})\\b`),
    re(`\\b(?:${PT_MANY}) (?:ja|seguidas|hoje|essa semana)\\b`),
    /\bquantas vezes (?:vou|tenho|preciso|eu vou|vai|mais)\b/,
    /\b(?:ja )?(?:sao|foram|e a|eh a) (?:\d+|tres|quatro|cinco|seis|varias|mil|muitas) vezes\b/,
    /\b(?:ja|eu) (?:mando|peco|falo|digo|pergunto|explico|escrevo|repito)\b(?: \w+){0,4} (?:\d+|tres|quatro|cinco|varias|mil|umas \d+) vezes\b/,
    /\b(?:ja e|e|eh|ja eh) a (?:terceira|quarta|quinta|sexta|decima|\d+a?) (?:vez|mensagem)\b/,
    /\b(?:to|tô|estou|fico) (?:me )?repetindo\b|\bandando em circulos\b/,
    /\b(?:le|leia|leu|lendo|ler) (?:a )?minha (?:ultima |primeira )?mensagem\b|\b(?:voce|vc|voces|vcs) (?:nem )?(?:le|leem|leu|leram|ta lendo|estao lendo)\b/,
    /\b(?:mesma|mesmo) (?:resposta|mensagem|coisa|link|texto)\b[^.!?\n]{0,25}\b(?:de novo|sempre|toda vez|outra vez)\b/,
  ],
  profanity: [
    /\b(?:pqp|pqparius|puta (?:que )?(?:pariu|merda|falta)|putaqueopariu|porra|poha|caralho|caraio|carai|krl|crl|kralho|cacete|kct|vsf|tnc|vtnc|tmnc|fdp|f d p|vtc)\b/,
    /\b(?:vai se (?:foder|fuder|ferrar|lascar)|se (?:foder|fuder|fode)|foda-?se|fodase|fodeu|fodid[oa]|fudid[oa]|tomar no (?:cu|c|rabo)|vai tomar|filh[oa]s? da puta|merda|merdas|bosta|arrombad\w*|desgrac\w*|pau no cu|cu doce)\b/,
  ],
  anger: [
    /\b(?:otari\w*|idiota\w*|imbecil|imbecis|babaca\w*|palhac\w*|ladr(?:ao|oes|ona|onas)|golpistas?|safad\w*|vagabund\w*|incompetentes?|sem[ -]vergonha|pilantra\w*|picaret\w*|cambada|corja|bando de (?:incompetentes|ladroes|palhacos|idiotas|amadores|golpistas|safados|vagabundos|inuteis)|incompetencia|golpistas)\b/,
    /\b(?:voces|vcs|essa empresa|essa loja|a loja|a empresa|a acme|isso aqui)(?: \w+)? (?:e|eh|sao) (?:um |uns |uma )?(?:golpe|golpistas|fraude)\b|\bque golpe\b|\bgolpe (?:de voces|de vcs|dessa empresa|dessa loja)\b|\b(?:voces|vcs|vc|voce|a loja|essa loja|a empresa|essa empresa)(?: \w+)? (?:me )?(?:roubaram|roubou|roubando|robaram)\b|\broubaram (?:o )?meu dinheiro\b|\broubalheira\b|\b(?:e|eh|isso e|que) um roubo\b/,
    /\b(?:lixo|porcaria|horroroso|ridicul\w*|absurdo|palhacada|descaso|desrespeito|vergonha|vergonhoso|inadmissivel|inaceitavel|revoltante|nojo|nojento|sacanagem)\b|\b(?:e|sao|eh|isso e|que|isso eh) (?:uma )?piada\b|\bpiada de mau gosto\b|\b(?:atendimento|servico|empresa|loja|suporte) (?:pessim\w*|horrivel|horroroso)\b/,
    /\b(?:to|estou|tou|ja to|ja estou|fiquei|fico|ta|tô)(?: \w+)? (?:puto|puta|put[ao] da vida|irritad[oa]|revoltad[oa]|indignad[oa]|furios[oa]|nervos[oa]|brav[oa]|pistola|possess[oa]|de saco cheio|farto|farta|p da vida)\b/,
    /\b(?:saco cheio|que raiva|da raiva|odeio|ninguem merece|ngm merece|nao aguento mais|n aguento mais|nao aguento|cansei|to cansad[oa] de|estou cansad[oa] de|chega de|perdi a paciencia|perdendo a paciencia|sem paciencia|acabou (?:a|minha) paciencia)\b/,
    /\b(?:(?:tao|ta|estao|esta|tá) de (?:brincadeira|sacanagem|palhacada|zoeira)|so pode ser brincadeira|e brincadeira|brincadeira ne|serio isso)\b/,
    /\b(?:pior|horrivel|pessimo|pessima|lixo de) (?:atendimento|servico|empresa|loja|experiencia|suporte|robo|bot|app|site|entrega)\b/,
    /\b(?:perda|perdendo|perdi) (?:de )?(?:meu |o meu )?tempo\b/,
    /\b(?:muito|super|extremamente|totalmente|mt|mto|bem) (?:frustrad[oa]|irritad[oa]|indignad[oa]|revoltad[oa])\b|\bque frustrante\b/,
    /\b(?:fazendo|fazer|faz|fazem) (?:de|a gente de|eu de) (?:trouxa|bob[oa]|idiota|palhac[oa]|otari[oa])\b|\b(?:tirando|zoando|rindo) (?:com a )?(?:minha|nossa) cara\b|\bzoando com a gente\b/,
    /\b(?:voces|vcs|vc|voce)(?: \w+){0,2} (?:sao|e|sao uns|sao umas) (?:uma piada|incompetentes|uns incompetentes|ridicul\w*|inuteis|uns ladroes|ladroes|uma vergonha|um lixo|uns palhacos|palhacos)\b/,
    /\b(?:mentira|mentiram|mentindo|mentirosos?)\b/,
    /\b(?:deveriam|deviam) (?:ter|sentir) vergonha\b|\bvergonha na cara\b/,
    /\b(?:falta de respeito|desrespeitos[oa]|desrespeitando|grossos|grosseir[oa]s?|mal educad[oa]s?)\b|\b(?:e|eh) assim que (?:voces|vcs) tratam (?:os |o |seus )?clientes?\b|\bqual (?:e )?o problema de (?:voces|vcs)\b/,
    /\b(?:voces|vcs|seus atendentes|os atendentes|ninguem aqui|esse robo|o robo|esse bot|o bot|o atendimento) (?:nao|n) (?:sabem|sabe|entendem|entende) (?:de )?nada\b/,
    /\balguem que (?:saiba|sabe|entenda|entende) (?:trabalhar|fazer (?:o |seu )?(?:seu )?trabalho|o que (?:esta|ta) fazendo|resolver)\b|\bfacam (?:o )?seu trabalho\b|\baprendam a trabalhar\b/,
    /\b(?:pra mim|p mim) chega\b|^\s*chega[!.]*\s*$|\bchega[!]+|\bcansei de (?:voces|vcs|vc|esperar|tudo)\b/,
    /\b(?:e|eh) tao (?:dificil|complicado) (?:assim|isso)?\b|\b(?:custa|custava) (?:tanto|muito|alguma coisa)\b|\bquant[oa]s? (?:dias|semanas|meses|vezes) mais\b/,
    /\b(?:me ignorando|me ignoram|me ignoraram|ignorando (?:minhas|meus|a gente)|sendo ignorad[oa])\b|\bcomo (?:voces|vcs) (?:tem coragem|ousam)\b|\bnao podem (?:continuar|ficar) (?:fazendo|tratando|cobrando)\b/,
    /\b(?:tomara que|espero que|que voces|que vcs) (?:quebrem|falam|fechem|vao a falencia|se ferrem|se explodam|se lasquem)\b/,
    /\bnunca vi (?:um |uma )?(?:atendimento|servico|empresa|loja|suporte|coisa) (?:tao|mais) (?:ruim|pessim[oa]|porc[oa]|lent[oa]|horrivel|incompetente|ridicul[oa])\b|\b(?:empresa|loja|servico|atendimento|suporte) (?:tao |mais |muito )?(?:porc[oa]|podre|de merda|de quinta|vagabund[oa]|fuleir[oa]|patetic[oa]|mediocre|lamentavel|ruim demais)\b|\b(?:que|q) (?:empresa|loja|atendimento|servico) (?:mais )?(?:ruim|porca|podre|lixo|patetica|mediocre|lamentavel|horrivel)\b/,
    /\b(?:lamentavel|patetic[oa]s?|vergonhos[oa]|ridicul[oa]s?|deploravel)\b|\bnao (?:servem|serve) (?:pra|para) nada\b/,
    /\bquero (?:meu dinheiro|o meu dinheiro|o reembolso|meu reembolso|meu estorno)\b[^.!?\n]{0,20}\b(?:agora|ja|imediatamente|hoje)\b/,
  ],
  weak: {
    exclaim: /[!?]{3,}|\?{2,}[^?]*\?{2,}|!{2,}[^!]*!{2,}/,
    again: /\b(?:de novo|outra vez|novamente|mais uma vez)\b/,
    stillNothing: /\be (?:ainda )?(?:nada|nd)\b|\bainda (?:nao|nada|sem|esperando|nao chegou|errado|quebrado)\b|\b(?:nenhuma|nenhum|zero|sem) (?:resposta|retorno|posicionamento|atualizacao|noticia)\b/,
    nobody: /\b(?:ninguem|ngm|nenhum atendente)\b[^.!?\n]{0,20}\b(?:respond\w*|resolv\w*|ajud\w*|atend\w*|retorn\w*|fala|liga|explica|sabe)\b/,
    waitedLong: /\b(?:ha|faz|por) (?:dias|semanas|meses)\b|\b(?:\d+|dois|duas|tres|quatro|cinco|uma|um) (?:dias|semanas|meses|mes) (?:e nada|sem resposta|e ainda)\b|\b(?:me enrolam|enrolando|enrolacao)\b|\b(?:esperando|espero|esperei|aguardando|aguardo)\b(?: (?:ha|faz|tem|por|mais de|quase))? (?:\d+|dois|duas|tres|quatro|cinco|uma|um|varios|varias) (?:dias|semanas|meses|horas|semana|mes)\b|\b(?:\d+|dois|duas|tres|quatro|cinco|varios|varias) (?:dias|semanas|meses) (?:esperando|e nada|sem resposta|aguardando)\b/,
    nudge: /\b(?:alguem|oi|ola|ei|hello|tem alguem)\b\s*\?{2,}|\?{2,}\s*(?:alguem|oi)\b/,
    correction: /\b(?:na|em) minha (?:primeira|ultima) mensagem\b|\b(?:eu )?(?:falei|disse|pedi)\b[^.!?\n]{1,30}\bnao\b|\bja (?:falei|disse|expliquei|mandei|passei|informei)\b/,
    staccato: /(?:^|[.!?]\s*)\w+\. \w+\. \w+[.!]/,
    demanding: /\b(?:so|apenas) (?:devolv\w*|resolv\w*|respond\w*|me respond\w*|cancel\w*|estorn\w*)\b|\b(?:me )?respond(?:e|am) (?:logo|agora|por favor)?\b|\b(?:para|parem) de (?:mandar|enviar|falar|me enrolar|enrolar)\b|\b(?:agora|ja|urgente|imediatamente)\b[!]+|\benrola\w*\b/,
    whyHard: /\b(?:que|q) saco\b|\bpor que (?:e|é) tao (?:dificil|complicado)\b|\bserio\?|\bpelo amor de deus\b|\bpfv+r?\b[^.!?\n]*[!?]{2,}/,
  },
  positive: /\b(?:obrigad\w*|brigad\w*|valeu|vlw|amei|amo|adorei|perfeit\w*|otim\w*|maravilh\w*|parabens|feliz|lind\w*|top|show|legal|bom|boa|excelente|gostei)\b/,
  praise: /\b(?:bom|boa|otim\w*|lind\w*|perfeit\w*|rapid\w*|barat\w*|amei|adorei|maravilh\w*|top|show|demais|obrigad\w*|valeu|incrivel|gostos\w*|macio|confortavel|fofo|fofa)\b/,
  demand: /\b(?:cade|onde|por que|porque|agora|ja|quero|reembolso|parem|pare de|chega|estorno|devolve|devolvam|responde|respondam|resolve|resolvam|nunca|ninguem|de novo|ainda|cancela|cancelem|chega)\b/,
  hedges: ['um pouco', 'um pouquinho', 'meio', 'levemente', 'ligeiramente', 'um tanto', 'pouco', 'meio que'],
  negators: new Set(['nao', 'n', 'nunca', 'jamais', 'nem', 'sem', 'ninguem', 'nenhum', 'nenhuma']),
  frustration: {
    pessimo: -4, horrivel: -4, absurdo: -4, ridiculo: -4, 'estou irritado': -3, irritado: -3, irritada: -3, 'que raiva': -5, raiva: -3,
    inutil: -4, inuteis: -4, palhacada: -5, vergonha: -3, cansei: -4, 'nao aguento': -4, lixo: -4, descaso: -4, odeio: -4, furioso: -4,
    furiosa: -4, 'pior atendimento': -5, golpe: -2, ladroes: -4, ladrao: -4, incompetentes: -4, puto: -3, 'saco cheio': -4,
    desrespeito: -4, porcaria: -3, merda: -4, decepcionado: -1, decepcionada: -1, chateado: -1, chateada: -1,
    demora: -1, atrasado: -1, atraso: -1, 'que saco': -2, estragou: -2, estragado: -2,
  },
  neutral: new Set(['fraude', 'fraudes', 'pinto', 'pau', 'gozo', 'raposa', 'deficiente', 'solo', 'solto', 'carregado', 'cargos', 'carga', 'senhorita', 'oracao', 'oracoes', 'nozes', 'impar', 'lobby', 'roubado', 'roubada', 'perdido', 'perdida', 'cobrado', 'cobrada', 'cobranca', 'falta', 'faltou', 'nao', 'problema', 'problemas', 'foda', 'absurdo', 'brutal', 'loucura', 'lento', 'lenta', 'exigir', 'disputa', 'queixa', 'reclamacao', 'cu']),
};

// ---------------------------------------------------------------- Español
const ES_ORDINAL = '(?:[3-9]|\\d{2,})(?:a|o|ra|er|ro|ta|to)?|tercera|tercer|tercero|cuarta|cuarto|quinta|quinto|sexta|sexto|decima|decimo|milesima|enesima|enesimo';
const ES_MANY = '(?:\\d+|dos|tres|cuatro|cinco|seis|diez|varias|mil|muchas|n|chorrocientas|un monton de|millones de) veces';
const ES_INTENT =
  '\\b(?:voy|vamos|ire|iremos|me voy|los voy|les voy|lo voy|ya (?:puse|hice|fui|llame|mande|levante|presente|abri|pedi)|o si no|si no|sino|de lo contrario|siguiente paso|tendre que|tengo que|voy a tener que|hare|hacer|poner|levantar|presentar|pedir)\\b';

const es: LocaleRules = {
  polite: [
    /\bno(?: \w+){0,2} (?:enojad[oa]s?|molest[oa]s?|enfadad[oa]s?|furios[oa]s?|quejando|reclamando|cabread[oa]s?|brav[oa]s?|emputad[oa]s?|encabronad[oa]s?|harto|harta|estresad[oa]s?)\b/,
    /\bno (?:es|estoy haciendo|quiero hacer|pongo) (?:una )?(?:queja|reclamo|reclamacion|critica)\b/,
    /\b(?:perdon|disculp\w*|lo siento|lamento|siento|mil disculpas)(?: \w+){0,2} (?:molestia|molestar|insistir|demora|inconveniente|la lata|preguntar|escribir de nuevo|tanto mensaje|tantos mensajes)\b/,
    /\bno (?:hay|pasa|es) (?:ningun |nada )?(?:problemas?|nada|prisa|apuro|drama|grave|urgente)\b/,
    /\bno (?:se |te )?preocup\w*\b/,
    /\bsin (?:problemas?|prisa|apuro|drama|bronca)\b/,
    /\bno tengo (?:prisa|apuro)\b/,
    /\bodio (?:molestar|tener que (?:molestar|preguntar|insistir)|insistir)\b/,
  ],
  positiveSlang: [
    /\b(?:de puta madre|de poca madre|a toda madre|chingon\w*|bien chido|chid[oa]s?|padrisim[oa]|bien padre|que padre|esta padre|brutal|bestial|de locos|una locura de (?:bueno|barato|precio|rapido)|una pasada|la leche de (?:bueno|barato)|del carajo de (?:bueno|barato))\b/,
    /\b(?:precios?|oferta|ofertas|descuento) (?:de locos|brutal|bestial|increible|una locura)\b/,
    /\bno mames(?: \w+){0,2} (?:que|qu[eé]) (?:barato|bonito|buen\w*|rapido|padre|chido|precio|bien|hermos\w*)\b/,
    /\b(?:cabron\w*|machin\w*) de (?:bueno|barato|bonito|rapido)\b/,
  ],
  threat: [
    /\b(?:profeco|condusef|sernac|indecopi|ocu|facua|omic|aduana del consumidor|defensa del consumidor|proteccion al consumidor|derechos del consumidor|oficina (?:de|del) consumidor|oficina de consumo|consumo\.gob|hojas? de reclamaci[oó]n|libro de reclamaciones|junta arbitral)\b/,
    /\b(?:meter|poner|presentar|levantar|interponer|meterles|ponerles) (?:una )?demanda\b/,
    /\b(?:mi|nuestro) (?:abogad[oa]|juridico) (?:va|se va|los|les|ya|se pondra|se comunicara|tomara|sabe|esta)\b|\b(?:hablar|hablando|consultar|contactar|llamar|contratar|buscar|pasar|mandar|turnar)\b(?: \w+){0,3} (?:abogad[oa]|juridico)\b|\bcon (?:mi|un) abogad[oa]\b|\b(?:demand(?:a|ar|arlos|arles|are|aremos|o) (?:a |contra )?(?:ustedes|la empresa|la tienda|esta empresa|los)|los voy a demandar|voy a demandar|demandarlos|demandarles|accion legal|acciones legales|via legal|juicio|tribunales|juzgado)\b/,
    /\b(?:exigir|hacer valer|defender|conozco|reclamar|luchar por) (?:mis|nuestros) derechos\b|\b(?:esto es|es|eso es) (?:ilegal|un delito|un crimen|publicidad enganosa)\b/,
    /\b(?:contracargo|desconoc\w* (?:el|este|ese|los|la) (?:cargo|compra|pago|cobro)s?|(?:reclamo|reclamacion|aclaracion|disputa) (?:al|con el|con la|con mi|en el|en la|ante el|ante la) (?:banco|tarjeta|emisor))\b/,
  ],
  exposure: [
    /\b(?:los|las|les) (?:voy a |vamos a |van a )?(?:denunciar|exponer|exhibir|quemar)\b|\b(?:denunciar|exponer|exhibir|quemar)(?:los|las|les)\b|\b(?:denunciar|exponer|exhibir|quemar|denuncia contra|demanda contra) (?:a )?(?:ustedes|la empresa|esta empresa|la tienda|esta tienda|acme)\b|\b(?:poner|levantar|presentar) una (?:denuncia|queja formal) (?:contra|en contra)\b/,
    /\b(?:publicar|postear|subir|contar|poner|compartir|difundir|quejar\w*|denunciar|exhibir|quemar)\b[^.!?\n]{0,30}\b(?:redes sociales|redes|twitter|facebook|face|instagram|tiktok|youtube|internet|todo el mundo)\b/,
    /\b(?:voy|vamos|ire|ya)\b[^.!?\n]{0,40}\b(?:redes sociales|instagram|twitter|tiktok|facebook|youtube)\b/,
    /\b(?:voy a|les voy a|ya estoy|estoy|ya|me voy a)\b[^.!?\n]{0,20}\b(?:escrib|dej|pon|publi|sub)\w*\b(?: \w+){0,3} (?:resena|opinion|calificacion|valoracion|review|queja)\w*\b/,
    /\b(?:1|una|cero|0|ninguna) estrellas?\b/,
    /\b(?:resena|opinion|calificacion|valoracion)(?:es)? (?:negativa|mala|pesima|horrible)s?\b/,
  ],
  threatWithIntent: re(`${ES_INTENT}[^.!?\\n]{0,45}?${alt(['chargeback', '(?:llamar|llamando|hablar|ir|quejarme|reclamar) (?:al|con el|a mi|con mi) (?:banco|tarjeta)', 'cancelar (?:el|este) (?:cargo|pago|cobro) (?:con|en) (?:el|mi) banco', 'bloquear (?:la|mi) tarjeta', 'disputar (?:el|este) cargo'])}`),
  enquiry: /^\s*(?:(?:hola|buenas|buenos dias|buenas tardes)\W+)?(?:como (?:hago|puedo|se|le hago|funciona|disputo|desconozco)\b|(?:puedo|pueden|se puede|es posible|que|cual|cuando|donde|por que|debo|hay forma)\b[^?]*\?)/,
  threatDisarm: /\b(?:vi|lei|segun|revise|busque|calificacion|reputacion|opiniones)\b[^.!?\n]{0,15}$/,
  neverAgain: [
    /\bnunca (?:mas|jamas)\b(?! (?:tuve|he tenido|hubo) problema)/,
    /\bjamas (?:vuelvo|volvere|les compro|compro|les vuelvo|recomiendo)\b/,
    /\b(?:ultima|ultimo) (?:vez|pedido|compra) (?:que )?(?:les )?(?:compro|pido|hago|uso|con ustedes|aqui)\b/,
    /\bperdieron (?:un|una|a un|a una|otro|otra) (?:cliente|clienta|comprador)\b|\bme (?:acaban de )?perdieron (?:como cliente)?\b/,
    /\bno (?:vuelvo|volvere|vuelvo a|pienso volver) (?:a )?(?:comprar|pedir|usar|confiar)\b|\bno (?:les )?(?:compro|pido) (?:nunca )?mas\b/,
    /\bme (?:voy|paso) (?:con|a) la competencia\b/,
  ],
  sarcasm: [
    /\b(?:gracias|muchas gracias|mil gracias) (?:por|de) (?:hacerme perder|perder|nada|absolutamente nada|no resolver|ignorarme|ignorar|la nula ayuda|nada de ayuda)\b/,
    /\b(?:felicidades|felicitaciones|enhorabuena|bravo) (?:por|por el|por la|a) (?:servicio|atencion|pesimo|pesima|desastre|retraso|incompetencia|empresa|desorganizacion)\b/,
    /"(?:ayuda|atencion|soporte|servicio|express|expres|rapido|garantia|politica)"/,
    /\b(?:si|sí),? (?:claro|como no)\b[^.!?\n]{0,20}$/,
    /\b(?:util|bueno|buena|rapido|excelente|genial|eficiente|ayuda|ayudo)\b[^.!?\n]{0,30}\.{2,}\s*(?:no|nel|para nada)\b/,
    /\b(?:oye|ok|gracias|felicidades|bravo|muy bien),? (?:genio|sherlock|einstein|listillo|listo)\b/,
  ],
  sarcasmOpener: /\b(?:servicio|atencion|soporte|empresa) (?:excelente|maravillos[oa]|de lujo|increible|de primera|ejemplar|de diez)\b|(?:^|[.!?,]\s+)(?:genial|perfecto|excelente|maravilloso|de lujo|bravo)[.!]*\s*$|(?:^|[.!?]\s+)(?:(?:ay|ah|vaya|uy|wow|ok|oh)\W+)?(?:que bien|genial|perfecto|excelente|fantastico|maravilloso|bravo|felicidades|de lujo|que buen servicio|que lindo|que maravilla|buenisimo|increible|estupendo|que padre)\b|\b(?:gracias|muchas gracias),? (?:eh|he|ehh)\b|\b(?:excelente|buenisimo|increible|maravilloso|estupendo) (?:servicio|atencion|trabajo|soporte)\b/,
  exasperatingEvent: /\b(?:otr[oa] (?:\w+ )?(?:retras\w*|excusa|semana|cargo|cobro|error|problema|correo|perdid[oa]|fallid[oa]|cancelad[oa]|equivocad[oa]|rot[oa])|otra vez|de nuevo|nuevamente|(?<!de )nada(?! mas)|ningun[a]? (?:respuesta|solucion)|sin (?:respuesta|solucion|noticias)|(?:rot[oa]|equivocad[oa]|defectuos[oa]|atrasad[oa]) (?:tambien|otra vez|de nuevo)|retras\w*|atras\w*|ignor\w*|todavia (?:no|nada|sin)|aun (?:no|nada|sin)|nunca (?:llego|llega|contestaron|respondieron)|nadie|(?:cobr\w*) (?:otra vez|de nuevo|dos veces|doble))\b/,
  repetition: [
    re(`\\b(?:${ES_ORDINAL}) (?:mensaje|msj|correo|email|e-mail|reclamo|llamada|intento|ticket|queja|solicitud)s?\\b`),
    re(`\\b(?:${ES_ORDINAL}) vez\\b[^.!?\\n]{0,25}\\b(?:pregunt\\w*|pido|pedi|pidiendo|dig\\w*|dije|escrib\\w*|mand\\w*|llam\\w*|reclam\\w*|expli\\w*|repit\\w*|contact\\w*|insist\\w*)\\b`),
    re(`\\bpor (?:${ES_ORDINAL}) vez\\b`),
    /\b(?:ayer|la semana pasada|esta manana|hoy temprano) y (?:antier|anteayer|antes de ayer|hoy|otra vez|de nuevo|la semana anterior)\b/,
    re(`\\b(?:ya )?(?:les |te |se lo |se los |lo )?(?:dije|pedi|explique|mande|escribi|pregunte|repeti|llame|reclame|envie|di|informe)\\b(?: \\w+){0,4} (?:${ES_MANY})\\b`),
    re(`\\b(?:${ES_MANY}) (?:ya|seguidas|hoy|esta semana)\\b`),
    /\bcuantas veces (?:tengo|voy|debo|hay|les|mas|se los|se lo)\b/,
    /\b(?:ya )?(?:van|son|llevo|fueron) (?:\d+|tres|cuatro|cinco|seis|muchas|varias|mil) veces\b/,
    /\b(?:ya |yo )?(?:les |te )?(?:mando|pido|digo|pregunto|explico|escribo|repito|envio)\b(?: \w+){0,4} (?:\d+|tres|cuatro|cinco|varias|mil) veces\b/,
    /\b(?:ya es|es) (?:la|el) (?:tercera|cuarta|quinta|sexta|decima|tercer|cuarto|quinto|\d+a?) (?:vez|mensaje)\b/,
    /\b(?:estoy|sigo) repitiendo\b|\bdando vueltas\b/,
    /\b(?:lee|lean|leyo|leyeron|leer) (?:mi|el) (?:ultimo |primer )?mensaje\b|\b(?:no|ni) (?:leen|lees|leyeron|leyo)\b/,
    /\b(?:la misma|el mismo) (?:respuesta|mensaje|cosa|link|enlace|texto)\b[^.!?\n]{0,25}\b(?:otra vez|de nuevo|siempre|cada vez)\b/,
  ],
  profanity: [
    /\b(?:carajo|caraj\w*|mierda\w*|ctm|csm|conchetumadre|conchatumadre|concha (?:de )?(?:tu|su) madre|la concha|hdp|hijos? de (?:puta|perra)|hijueputa|hijoeputa|jueputa|ptm|puta madre|putos|putas|pinche\w*|cabron\w*|pendej\w*|chingad\w*|chingar|chinguen|chingue|no mames|nmms|alv|a la verga|vale verga|verga|vrg|joder|jodid\w*|jodan|jodiendo|me cago|cono|malditos?|malditas?|maldita sea|wtf|chucha|culer\w*|mamones|la puta|que puta|hostia|hostias|ostia)\b/,
  ],
  anger: [
    /\b(?:es|esto es|son|eso es|puro|un) (?:un )?(?:robo|atraco|abuso)\b|\b(?:ustedes|la tienda|la empresa|esta empresa)(?: \w+)? (?:me |nos )?(?:robaron|roban|estan robando)\b|\b(?:me|nos) (?:robaron|roban|estan robando) (?:el|mi|la|nuestro|mis) (?:dinero|plata|lana|pago|feria)\b/,
    /\b(?:ustedes|son|esto es|esta empresa|esta tienda|la tienda)(?: \w+)? (?:son |es )?(?:una |unos )?(?:estafa|estafadores)\b(?! ?\?)|\b(?:que|pura|una total|total) estafa\b|\bme (?:estafaron|estan estafando) ustedes\b|\bnos estan estafando\b/,
    /\b(?:ladron\w*|rateros?|robando|nos roban|estafadores|idiotas?|imbeciles?|estupid\w*|payasos?|boludos?|pelotudos?|inutiles|incompetentes?|sinverguenza\w*|sin verguenza|bola de|bandidos|tranza\w*|transas|fraude(?:s)? de empresa)\b/,
    /\b(?:basura|porqueria|una mierda|ridicul\w*|absurdo|una burla|una broma|es broma|verguenza|vergonzoso|inaceptable|inadmisible|indignante|indignad\w*|intolerable|un asco|que asco|asqueroso|cagada|desastre)\b/,
    /\b(?:estoy|ando|me tienen|ya estoy|sigo|me siento)(?: \w+)? (?:furios[oa]|encabronad[oa]|emputad[oa]|enojad[oa]|enfadad[oa]|cabread[oa]|harto|harta|hasta la madre|podrid[oa]|indignad[oa]|molest[oa] con (?:ustedes|usted|la empresa))\b/,
    /\b(?:harto|harta|hartos|hartas|hasta la madre|hasta las narices|hasta el gorro|hasta la coronilla|hasta el culo|hasta la verga|hasta la madre|que poca madre|poca madre|que rabia|me da rabia|odio|no aguanto mas|ya no aguanto|se me acabo la paciencia|perdi la paciencia|perdiendo la paciencia|ya basta|basta ya|me tienen cansad[oa]|estoy cansad[oa] de)\b/,
    /\b(?:me estan tomando el pelo|me toman el pelo|tomandome el pelo|es en serio|en serio\?|esto es un chiste|que chiste|no puede ser)\b/,
    /\b(?:viendo|ver|vieron|ven) (?:la|mi) cara(?: de \w+)?\b|\bburla(?:ndo|n|ndose)? de (?:mi|nosotros|los clientes)\b|\bque poca(?: madre| verguenza| seriedad|madre)?\s*[.!?]*\s*$/,
    /\b(?:muy|super|extremadamente|totalmente|bien) (?:frustrad[oa]|enojad[oa]|molest[oa]|indignad[oa]|encabronad[oa])\b|\bque frustrante\b|\bfurios[oa]\b/,
    /\b(?:ustedes|son)(?: \w+){0,2} (?:son |unos |unas )?(?:una burla|una broma|un chiste|incompetentes|inutiles|ladrones|rateros|una verguenza|un desastre|una porqueria|unos payasos)\b/,
    /\b(?:mentira|mintieron|mintiendo|mentirosos?)\b/,
    /\b(?:deberia|deberian) (?:darles|darle|de darles|tener) verguenza\b|\bno tienen verguenza\b/,
    /\b(?:falta de respeto|irrespetuos[oa]s?|groser[oa]s?|maleducad[oa]s?|majaderos)\b|\basi (?:es como )?tratan a (?:sus |los )?clientes\b|\b(?:que|q) (?:les|te) pasa\b|\bcual es (?:su|tu) problema\b/,
    /\b(?:ustedes|sus agentes|los agentes|sus empleados|su gente|el bot|el robot|este bot|nadie aqui) no (?:saben|sabe|entienden|entiende) (?:nada|ni madres|hacer nada)\b/,
    /\balguien que (?:sepa|entienda|pueda) (?:hacer (?:su|bien su) trabajo|lo que hace|trabajar|resolver|algo)\b|\bhagan (?:bien )?su trabajo\b|\baprendan a trabajar\b/,
    /\b(?:tan|que tan) (?:dificil|complicado) es\b|\bes tan (?:dificil|complicado)\b|\bcuesta (?:tanto|mucho)\b|\bcuantos? (?:dias|semanas|meses|veces) mas\b/,
    /\b(?:me ignoran|me ignoraron|ignorandome|ignorando (?:mis|mi|a los)|me tienen ignorad[oa])\b|\bcomo se atreven\b|\bno pueden (?:seguir|estar) (?:haciendo|tratando|cobrando)\b/,
    /\b(?:ojala|ojala que|espero que) (?:quiebren|cierren|se hundan|se mueran|se pudran|les vaya mal|se vayan a la quiebra|truenen)\b|\bque (?:quiebren|se hundan|se pudran|se mueran|les vaya mal)\b/,
    /\bnunca (?:vi|he visto|habia visto) (?:un |una )?(?:servicio|atencion|empresa|tienda|soporte|cosa) (?:tan|mas) (?:mal[oa]|pesim[oa]|lent[oa]|horrible|incompetente|ridicul[oa]|mediocre)\b|\b(?:que|q) (?:empresa|tienda|servicio|atencion) (?:tan |mas )?(?:mal[oa]|pesim[oa]|patetic[oa]|mediocre|ineficiente|deficiente|incompetente|lamentable|de quinta|de cuarta|chafa|culera)\b|\b(?:empresa|tienda|servicio|atencion) (?:de quinta|de cuarta|chafa|culera|pedorra|patetica|mediocre|lamentable)\b/,
    /\b(?:lamentable|patetic[oa]s?|vergonzos[oa]|deplorable|mediocres?)\b|\bno (?:sirven|sirve) (?:para|pa) (?:nada|un carajo|una mierda|maldita sea)\b/,
    /\bme (?:harte|hartaron|tienen hart[oa]|canse|cansaron|tienen cansad[oa])\b|\b(?:que|q) onda con (?:ustedes|uds|esto|ustedes)\b/,
    /\b(?:peor|pesimo|pesima|horrible|fatal) (?:servicio|atencion|empresa|tienda|experiencia|soporte|bot|app|pagina|entrega)\b/,
    /\b(?:perdida|perdiendo|perdi) (?:de )?(?:mi |el )?tiempo\b/,
    /\bquiero (?:mi dinero|mi reembolso|el reembolso|que me devuelvan)\b[^.!?\n]{0,20}\b(?:ya|ahora|inmediatamente|hoy)\b/,
  ],
  weak: {
    exclaim: /[!?¡¿]{3,}|\?{2,}[^?]*\?{2,}|!{2,}[^!]*!{2,}/,
    again: /\b(?:otra vez|de nuevo|nuevamente|una vez mas)\b/,
    stillNothing: /\by (?:todavia )?nada\b|\b(?:todavia|aun|sigue|sigo) (?:no|nada|sin|esperando)\b|\b(?:ninguna|ningun|cero|sin) (?:respuesta|solucion|noticia|actualizacion)\b/,
    nobody: /\bnadie\b[^.!?\n]{0,20}\b(?:respond\w*|contest\w*|resuelv\w*|ayud\w*|atiend\w*|dice|explica|sabe|hace nada)\b/,
    waitedLong: /\b(?:hace|desde hace|por) (?:dias|semanas|meses)\b|\b(?:\d+|dos|tres|cuatro|cinco|una|un) (?:dias|semanas|meses|mes) (?:y nada|sin respuesta|y todavia|y sigo|esperando)\b|\b(?:esperando|espero|espere|llevo|hace|tengo)\b(?: (?:mas de|casi|ya))? (?:\d+|dos|tres|cuatro|cinco|una|un|varios|varias) (?:dias|semanas|meses|horas|semana|mes)\b/,
    nudge: /\b(?:alguien|hola|oigan|hay alguien|holaa?)\b\s*\?{2,}|\?{2,}\s*(?:alguien|hola)\b/,
    correction: /\b(?:en|desde) mi (?:primer|ultimo) mensaje\b|\b(?:yo )?(?:dije|pedi)\b[^.!?\n]{1,30}\bno\b|\bya (?:les |te )?(?:dije|explique|mande|pase|di)\b/,
    staccato: /(?:^|[.!?]\s*)\w+\. \w+\. \w+[.!]/,
    demanding: /\b(?:solo|nada mas) (?:devuelv\w*|resuelv\w*|respond\w*|contest\w*|cancel\w*|reembols\w*)\b|\b(?:respondan|contesten|contestame|respondeme)\b|\b(?:dejen|deja) de (?:mandar|enviar|dar|poner|ignorar)\b|\b(?:ya|ahora|urgente|inmediatamente)\b[!]+|\bya!|\bpara ayer\b/,
    whyHard: /\b(?:que|q) (?:hueva|flojera|fastidio|lata|coraje)\b|\bpor que es tan (?:dificil|complicado)\b|\ben serio\b|\bpor (?:dios|favor)\b[^.!?\n]*[!?]{2,}/,
  },
  positive: /\b(?:gracias|me encanta|me encanto|encanto|perfect\w*|excelente|genial|maravill\w*|felicidades|feliz|lind\w*|padre|chido|buenisimo|bien|bueno|buena|estupendo)\b/,
  praise: /\b(?:buen\w*|genial|lind\w*|hermos\w*|perfect\w*|rapid\w*|barat\w*|me encant\w*|padre|chid[oa]|chingon\w*|increible|gracias|maravill\w*|bonit\w*|comod\w*|precios\w*|excelente)\b/,
  demand: /\b(?:donde|por que|porque|ya|ahora|quiero|reembolso|dejen|deja de|paren|basta|devuelvan|devuelve|contesten|responde|respondan|resuelvan|nunca|nadie|otra vez|todavia|cancelen)\b/,
  hedges: ['un poco', 'un poquito', 'algo', 'medio', 'ligeramente', 'tantito', 'poco', 'un tanto'],
  negators: new Set(['no', 'nunca', 'jamas', 'ni', 'sin', 'tampoco', 'nadie', 'ningun', 'ninguna', 'ninguno']),
  frustration: {
    pesimo: -4, pesima: -4, horrible: -4, absurdo: -4, ridiculo: -4, 'estoy harto': -5, harto: -4, harta: -4, furioso: -4, furiosa: -4,
    inutil: -4, inutiles: -4, 'una verguenza': -5, basura: -4, 'peor servicio': -5, 'que rabia': -5, rabia: -3, odio: -4, indignado: -4,
    indignada: -4, 'una broma': -4, estafa: -2, ladrones: -4, mierda: -4, carajo: -3, enojado: -3, enojada: -3, molesto: -1, molesta: -1,
    decepcionado: -1, decepcionada: -1, retraso: -1, atrasado: -1, 'que fastidio': -2, arruino: -2, arruinado: -2,
  },
  neutral: new Set(['fraude', 'fraudes', 'solo', 'sola', 'cargado', 'cargos', 'cargo', 'carga', 'senorita', 'oracion', 'oraciones', 'nueces', 'sueltos', 'impar', 'lobby', 'tetas', 'robado', 'robada', 'perdido', 'perdida', 'extraviado', 'faltante', 'falta', 'no', 'problema', 'problemas', 'brutal', 'locura', 'loco', 'duda', 'gris', 'queja', 'quejas', 'reclamacion', 'disputa', 'demandar']),
};

export const RULES: Readonly<Record<Lang, LocaleRules>> = { en, 'pt-BR': pt, es };
