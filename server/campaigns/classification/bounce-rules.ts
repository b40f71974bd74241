/**
 * The words of delivery-failure notices, as data (bounce.ts applies them). Each table lists the
 * forms seen in real MTAs and providers, French and English first; add a line here (with a test
 * case in test/unit/campaigns/bounce-rules.test.ts) rather than a branch in the code.
 *
 * Patterns are matched case-insensitively on unfolded text; they must stay general (an MTA's
 * phrase), never a sample's particular address or host.
 */

/** Local parts of senders that only machines use for delivery notices (with or without a domain). */
export const DAEMON_LOCAL_PARTS: readonly RegExp[] = [
  /^mailer[-_.]?daemon$/,
  /^mail[-_.]?daemon$/,
  /^post[-_.]?master$/,
  /^mail[-_.]?delivery(?:[-_.]system|[-_.]subsystem)?$/,
  /^mail[-_.]?administrator$/,
  /^microsoftexchange[0-9a-f]*$/,
  /^(?:bounces?|bounce-notification|ndr|dsn)$/,
  /^mailer$/,
];

/** Display names of those senders. */
export const DAEMON_NAMES: readonly RegExp[] = [
  /^mail(?:er)?[-\s]?(?:delivery|deliver)\s+(?:system|subsystem|service)$/,
  /^mail\s+delivery$/,
  /^mailer[-\s]?daemon$/,
  /^post\s?master$/,
  /^mail\s+administrator$/,
  /^microsoft\s+(?:outlook|exchange)$/,
  /^syst[èe]me\s+(?:de\s+)?(?:remise|distribution)\s+(?:du|de)\s+courrier$/,
  /^service\s+de\s+(?:messagerie|distribution\s+du\s+courrier)$/,
  /^(?:delivery\s+status\s+notification|returned\s+mail)$/,
];

/** Subjects of failure notices. */
export const FAILURE_SUBJECTS: readonly RegExp[] = [
  /undeliver(?:ed|able)/,
  /delivery\s+status\s+notification\s*\(failure\)/,
  /(?:mail\s+)?delivery\s+(?:has\s+)?failed|failed\s+delivery|delivery\s+failure/,
  /returned\s+mail|mail\s+returned/,
  /failure\s+notice|error\s+notification|delivery\s+status\s+notification:\s*error/,
  /could\s+not\s+be\s+delivered|message\s+not\s+delivered|not\s+delivered/,
  /mail\s+system\s+error|nondeliverable|non-delivery/,
  /(?:^|\s)non\s+remis|message\s+non\s+distribu[ée]|non\s+distribu[ée]/,
  /[ée]chec\s+(?:de\s+(?:la\s+)?)?(?:remise|livraison|distribution|d['’]envoi)/,
  /impossible\s+de\s+(?:remettre|distribuer|d[ée]livrer)/,
  /(?:votre\s+)?message\s+n['’]a\s+pas\s+pu\s+[êe]tre\s+(?:remis|distribu[ée]|d[ée]livr[ée])/,
  /unzustellbar|nicht\s+zugestellt|no\s+se\s+puede\s+entregar|no\s+entregado/,
];

/** Subjects of delay warnings (the message may still arrive). */
export const DELAY_SUBJECTS: readonly RegExp[] = [
  /delivery\s+status\s+notification\s*(?:\(delay\)|:\s*warning)/,
  /delayed\s+mail|delivery\s+delayed|delay(?:ed)?\s+notification|warning:\s+message.*delayed/,
  /could\s+not\s+send\s+message\s+for\s+past|still\s+being\s+retried/,
  /remise\s+diff[ée]r[ée]e|retard(?:[ée]e)?\s+de\s+(?:remise|distribution)|message\s+retard[ée]|distribution\s+retard[ée]e/,
];

/** Subjects that announce a delivery report without saying which (a weak signal). */
export const REPORT_SUBJECTS: readonly RegExp[] = [
  /^delivery\s+(?:status\s+)?(?:notification|report)\s*$/,
  /^(?:mail\s+)?delivery\s+status\s+(?:notification|report)/,
  /^notification\s+d['’][ée]tat\s+de\s+(?:la\s+)?(?:remise|distribution)/,
  /^rapport\s+de\s+(?:remise|distribution|non-remise)/,
];

/** Body phrases of a permanent failure, French and English. */
export const PERMANENT_PHRASES: readonly RegExp[] = [
  /could\s+not\s+be\s+delivered|couldn['’]t\s+be\s+delivered|was\s+not\s+delivered|wasn['’]t\s+delivered/,
  /(?:unable|failed)\s+to\s+deliver|undeliverable|delivery\s+(?:to\s+the\s+following\s+recipients?\s+)?(?:has\s+)?failed/,
  /did\s+not\s+reach\s+the\s+following\s+recipient|could\s+not\s+reach\s+the\s+following/,
  /permanent(?:ly)?\s+(?:delivery\s+)?(?:error|failure|failed)|permanent\s+fatal\s+errors?|fatal\s+errors?/,
  /user\s+unknown|unknown\s+user|no\s+such\s+(?:user|recipient|mailbox|address)|unknown\s+(?:recipient|address|mailbox)/,
  /recipient\s+(?:address\s+)?rejected|address\s+rejected|invalid\s+(?:user|recipient|address|mailbox)/,
  /mailbox\s+(?:unavailable|not\s+found|does\s+not\s+exist|is\s+full|full|disabled|inactive)|(?:user|account)\s+(?:is\s+)?(?:disabled|inactive|suspended)/,
  /does\s+not\s+exist|doesn['’]t\s+exist|not\s+listed\s+in|recipient\s+name\s+is\s+not\s+recognized|not\s+a\s+known\s+user/,
  /host\s+(?:or\s+domain\s+name\s+)?not\s+found|domain\s+not\s+found|no\s+mx\s+record|unrouteable|unroutable|could\s+not\s+find\s+a\s+gateway/,
  /message\s+(?:was\s+)?(?:rejected|refused|bounced)|has\s+been\s+(?:rejected|refused)|delivery\s+(?:was\s+)?aborted|was\s+aborted/,
  /this\s+is\s+a\s+permanent\s+error|giving\s+up|not\s+going\s+to\s+try\s+again|too\s+long\s+in\s+the\s+queue|in\s+the\s+queue\s+too\s+long|envelope\s+expired/,
  /n['’]a\s+pas\s+pu\s+[êe]tre\s+(?:remis|distribu[ée]|d[ée]livr[ée]|transmis|achemin[ée])/,
  /(?:adresse|destinataire|utilisateur|bo[iî]te(?:\s+aux\s+lettres)?)\s+(?:introuvable|inconnue?|invalide|inexistante?|non\s+recens[ée]e?|d[ée]sactiv[ée]e?|pleine|satur[ée]e)/,
  /(?:adresse|destinataire|utilisateur|compte)\s+(?:n['’]existe\s+pas|non\s+valide)|n['’]existe\s+pas/,
  /impossible\s+de\s+(?:remettre|distribuer|d[ée]livrer|joindre)|[ée]chec\s+(?:de\s+(?:la\s+)?)?(?:remise|distribution|livraison)|erreur\s+(?:permanente|fatale)/,
  /votre\s+message\s+(?:a\s+[ée]t[ée]\s+)?(?:rejet[ée]|refus[ée])|n['’]a\s+pas\s+[ée]t[ée]\s+(?:remis|distribu[ée])/,
];

/** Body phrases of a temporary failure (a delay warning). */
export const DELAY_PHRASES: readonly RegExp[] = [
  /(?:message|delivery)\s+(?:is|has\s+been|was)\s+delayed|is\s+delayed\s+for|delivery\s+(?:attempts?\s+)?(?:will\s+continue|is\s+being\s+retried)/,
  /temporary\s+(?:failure|error|problem)|will\s+(?:retry|try\s+again|keep\s+trying)|still\s+(?:trying|being\s+retried)|do\s+not\s+need\s+to\s+re-?send/,
  /has\s+not\s+yet\s+been\s+delivered|not\s+been\s+delivered\s+yet|could\s+not\s+be\s+delivered\s+yet/,
  /n['’]a\s+pas\s+encore\s+(?:pu\s+)?[êe]tre\s+(?:remis|distribu[ée])|remise\s+(?:est\s+)?diff[ée]r[ée]e|nouvelle\s+tentative|erreur\s+temporaire/,
];

/** Lines that introduce the failed recipient(s) on the next lines or after the colon. */
export const RECIPIENT_INTROS: readonly RegExp[] = [
  /could\s+not\s+be\s+delivered\s+to\s*:?/,
  /(?:the\s+)?following\s+(?:recipients?|addresses|address(?:\(es\))?|list\s+of\s+recipients|destination)/,
  /did\s+not\s+reach\s+the\s+following\s+recipient/,
  /(?:unable\s+to\s+deliver|undeliverable)\s+(?:message\s+)?to/,
  /delivery\s+to\s+the\s+following\s+recipients?/,
  /(?:failed|original|final|unknown|invalid)\s+recipients?\s*:/,
  /permanent\s+delivery\s+errors|had\s+(?:permanent|transient)\s+(?:fatal\s+)?(?:delivery\s+)?errors/,
  /^\s*(?:rcpt\s+to|recipient(?:\s+address)?|destinataires?|adresse(?:\s+du\s+destinataire)?|adresses?\s+e-?mail)\s*:/,
  /n['’]a\s+pas\s+pu\s+[êe]tre\s+(?:remis|distribu[ée])\s+(?:au(?:x)?\s+destinataires?\s+suivants?|[àa])/,
  /destinataires?\s+suivants?|adresses?\s+suivantes?/,
  /(?:was\s+|were\s+)?not\s+(?:be\s+)?delivered\s+to|delivery\s+failed[^:]*:/,
  /recipients?\s+(?:were|was)\s+affected|recipients?\s+returned\s+(?:permanent|temporary|transient)\s+errors?/,
  /(?:l['’])?envoi\s+(?:du\s+message\s+)?(?:[àa]\s+(?:l['’]adresse|au\s+destinataire)\s+)?(?:suivante?\s+)?a\s+[ée]chou[ée]/,
];

/**
 * SMTP reply lines, read with their context only (never any x.y.z in the text, which may be a
 * version number such as « Lotus SMTP MTA v4.6.1 »). Group 1: the reply code or the enhanced
 * status code; group 2 (when present): the enhanced status after a reply code.
 */
export const STATUS_CONTEXTS: readonly RegExp[] = [
  // "550 5.1.1 <x>: user unknown", "550-5.1.1", "550 #5.1.1"
  /(?<![\w.#-])([245]\d\d)[ \t]*[- ][ \t]*#?([245]\.\d{1,3}\.\d{1,3})(?![\w.])/i,
  // qmail's "(#5.1.1)" and "#5.1.1"
  /(?<![\w.])#([245]\.\d{1,3}\.\d{1,3})(?![\w.])/i,
  // "Status: 5.1.1", "status=5.1.1" (DSN fields and Postfix logs quoted in notices)
  /\bstatus\s*[:=]\s*([245]\.\d{1,3}\.\d{1,3})(?![\w.])/i,
  // "said: 550 …", "SMTP error …: 550 …", ">>> 550 …", "smtp; 550 …", "reply: 550"
  /(?:said|responded|replied|returned|answered|reply|response|error(?:\s+from\s+remote\s+(?:mail\s+)?server)?(?:\s+message)?|>>>|<<<|smtp\s*;|diagnostic[-\s]code\s*:[^;]*;)\s*:?\s*([245]\d\d)(?=[ \t-])/i,
  // a line starting with a reply code followed by words: "550 - Requested action not taken"
  /^[ \t]*([45][0-5]\d)(?:[ \t]*-[ \t]*|[ \t]+)(?=[A-Za-z<#(])/im,
];
