import { htmlToText, replyBody, stripQuotes, stripReply } from '../../../server/campaigns/classification/quote-strip';

describe('htmlToText', () => {
  it('drops scripts, styles, head and comments, decodes entities', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style></head><body><!-- hidden --><script>alert(1)</script>' +
      '<p>Pr&eacute;fecture &amp; sous-pr&#233;fecture &#x2013; &laquo;&nbsp;accueil&nbsp;&raquo; &unknown; &lt;b&gt;</p></body></html>';
    expect(htmlToText(html)).toBe('Préfecture & sous-préfecture – « accueil » &unknown; <b>');
  });

  it('breaks lines on <br>, <p>, <div>, <li>, keeps one blank line for an empty paragraph', () => {
    const html = '<div>Ligne 1<br>Ligne 2</div>\n<div>Ligne 3</div><p>&nbsp;</p><p>Ligne 4</p><ul><li>a</li><li>b</li></ul>';
    expect(htmlToText(html)).toBe('Ligne 1\nLigne 2\nLigne 3\n\nLigne 4\n- a\n- b');
  });

  it('collapses source whitespace but keeps <pre>', () => {
    expect(htmlToText('<p>a\n   b\t\tc</p><pre>x  y\n  z</pre>')).toBe('a b c\nx  y\nz');
  });

  it('prefixes blockquote content with > per level', () => {
    const html = '<div>Réponse</div><blockquote type="cite"><div>Question</div><blockquote>Plus ancien</blockquote></blockquote><div>Fin</div>';
    expect(htmlToText(html)).toBe('Réponse\n> Question\n> > Plus ancien\nFin');
  });

  it('turns <hr> into an Outlook-style separator line', () => {
    expect(htmlToText('<p>a</p><hr><p>b</p>')).toBe('a\n________________________________\nb');
  });

  it('survives malformed HTML', () => {
    expect(htmlToText('<p>a < b et c > d</p><div title="x>y">ok</div><b>non fermé')).toBe('a < b et c > d\nok\nnon fermé');
    expect(htmlToText('<script>jamais fermé <p>texte')).toBe('');
    expect(htmlToText('<p attr="unterminated>texte')).toContain('texte');
    expect(htmlToText('')).toBe('');
    expect(htmlToText('&#0; &#xD800; &#99999999;')).toBe('\uFFFD \uFFFD \uFFFD');
  });

  it('is linear on pathological input', () => {
    const evil = '<a '.repeat(50_000) + '"'.repeat(10_000);
    const t0 = performance.now();
    htmlToText(evil);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('stripQuotes', () => {
  const ANSWER = 'Bonjour,\n\nLe guichet est ouvert de 8h30 à 11h30.\n\nCordialement,\nMarie DUPONT\nBureau des titres';

  it.each<[string, string, string]>([
    [
      'Outlook FR header block',
      `${ANSWER}\n\nDe : Camille Martin <camille@example.fr>\nEnvoyé : lundi 3 juin 2019 10:12\nÀ : PREF - Accueil\nObjet : Horaires\n\nBonjour, quels horaires ?`,
      'header-block',
    ],
    [
      'Outlook FR without address and with non-breaking spaces',
      `${ANSWER}\n\nDe\u00a0: DUPONT Marie\nEnvoyé\u00a0: lundi 3 juin 2019 10:12\nÀ\u00a0: Camille Martin\nObjet\u00a0: RE: Horaires\n\nancien texte`,
      'header-block',
    ],
    [
      'Outlook EN header block',
      `${ANSWER}\n\nFrom: Camille Martin <camille@example.fr>\nSent: Monday, June 3, 2019 10:12 AM\nTo: Accueil\nSubject: Horaires\n\nold`,
      'header-block',
    ],
    ["« -----Message d'origine----- »", `${ANSWER}\n\n-----Message d'origine-----\nDe : Camille\nEnvoyé : lundi\nÀ : X\nObjet : Y\n\nold`, 'separator'],
    ['-----Original Message-----', `${ANSWER}\n-----Original Message-----\nFrom: Camille\nSent: Monday\nold`, 'separator'],
    ['OWA underscores', `${ANSWER}\n\n________________________________\nDe : Camille Martin <c@example.fr>\nEnvoyé : lundi 3 juin 2019 10:12\nÀ : Accueil\nObjet : Horaires\n\nold`, 'header-block'],
    ['Zimbra « Mail original »', `${ANSWER}\n\n----- Mail original -----\nDe: "Camille" <c@example.fr>\nÀ: "accueil" <a@example.gouv.fr>\nEnvoyé: Lundi 3 Juin 2019 10:12:45\nObjet: Horaires\n\nold`, 'separator'],
    ['Zimbra headers without separator', `${ANSWER}\n\nDe: "Camille" <c@example.fr>\nÀ: "accueil" <a@example.gouv.fr>\nEnvoyé: Lundi 3 Juin 2019 10:12:45\nObjet: Horaires\n\nold`, 'header-block'],
    ['Gmail FR attribution on one line', `${ANSWER}\n\nLe lun. 3 juin 2019 à 10:12, Camille Martin <c@example.fr> a écrit :\n\n> old\n> older`, 'attribution'],
    ['Gmail FR attribution wrapped', `${ANSWER}\n\nLe lun. 3 juin 2019 à 10:12, Camille Martin <camille.martin74@orange.fr> a\nécrit :\n\n> old`, 'attribution'],
    ['Thunderbird FR', `${ANSWER}\n\nLe 03/06/2019 à 10:12, Camille Martin a écrit :\n> old`, 'attribution'],
    ['Gmail EN', `${ANSWER}\n\nOn Mon, Jun 3, 2019 at 10:12 AM Camille Martin <c@example.fr> wrote:\n\n> old`, 'attribution'],
    ['Forwarded message', `${ANSWER}\n\n---------- Forwarded message ---------\nFrom: Camille <c@example.fr>\nDate: Mon, 3 Jun 2019\nSubject: Horaires\nTo: <a@example.gouv.fr>\n\nold`, 'separator'],
    ['bare > lines', `${ANSWER}\n\n> old\n> older`, 'reply-parser'],
  ])('%s', (_name, body, rule) => {
    const r = stripQuotes(body);
    expect(r.text).toBe(ANSWER);
    expect(r.rule).toBe(rule);
  });

  it.each<[string, string, string]>([
    ['Gmail FR attribution wrapped over three lines', `${ANSWER}\n\nLe lun. 3 juin 2019 à 10:12, Camille Martin <\ncamille.martin74@orange.fr> a\nécrit :\n\n> old`, 'attribution'],
    ['Gmail EN attribution wrapped over two lines', `${ANSWER}\n\nOn Mon, Jun 3, 2019 at 10:12 AM Camille Martin <\ncamille@example.fr> wrote:\n> old`, 'attribution'],
    ['ISO-date attribution ending with the address', `${ANSWER}\n\n2019-06-03 10:12 GMT+02:00 Camille Martin <c@example.fr>:\n> old`, 'attribution'],
    ['older Gmail date + address, no verb', `${ANSWER}\n\n2013/11/13 Camille Martin <c@example.fr>\n\n> old`, 'attribution'],
    ['German attribution', `${ANSWER}\n\nAm 03.06.2019 um 10:12 schrieb Camille Martin <c@example.fr>:\n> old`, 'attribution'],
    ['Spanish attribution', `${ANSWER}\n\nEl lun., 3 jun. 2019 a las 10:12, Camille (<c@example.fr>) escribió:\n> old`, 'attribution'],
    ['Outlook block starting with « Date : »', `${ANSWER}\n\nDate : lundi 3 juin 2019 10:12\nDe : Camille Martin <c@example.fr>\nÀ : Accueil\nObjet : Horaires\n\nold`, 'header-block'],
    ['Outlook.com block starting with "Sent:"', `${ANSWER}\n\nSent: Monday, June 3, 2019 10:12 AM\nFrom: Camille Martin <c@example.fr>\nTo: Accueil\nSubject: Horaires\n\nold`, 'header-block'],
    ['Outlook block starting with « À : », wrapped recipients', `${ANSWER}\n\nÀ : Accueil; Cabinet;\n  Standard\nDe : Camille Martin\nEnvoyé : lundi 3 juin 2019 10:12\nObjet : Horaires\n\nold`, 'header-block'],
    ["« ----- Message d’origine ----- » (spaces, typographic apostrophe)", `${ANSWER}\n\n----- Message d’origine -----\nDe : Camille\n\nold`, 'separator'],
    ["« Message d'origine » without dashes", `${ANSWER}\n\nMessage d'origine\nDe : Camille\n\nold`, 'separator'],
    ['German separator', `${ANSWER}\n\n-----Ursprüngliche Nachricht-----\nVon: Camille\n\nold`, 'separator'],
  ])('%s', (_name, body, rule) => {
    const r = stripQuotes(body);
    expect({ text: r.text, rule: r.rule }).toEqual({ text: ANSWER, rule });
  });

  it('keeps inline answers written below an attribution after new text at the top', () => {
    const body = 'Bonjour,\n\nLe lun. 3 juin 2019 à 10:12, Camille <c@example.fr> a écrit :\n> Horaires ?\n\nDe 8h30 à 11h30.\n\n> Rendez-vous ?\n\nOui, en ligne.\n\nCordialement,\nPaul ROUX';
    expect(stripQuotes(body).text).toBe('Bonjour,\n\nDe 8h30 à 11h30.\n\nOui, en ligne.\n\nCordialement,\nPaul ROUX');
  });

  it('does not take a quoted line re-wrapped by the client for new text', () => {
    const body = 'Bonjour,\n\nLe lun. 3 juin 2019 à 10:12, Camille <c@example.fr> a écrit :\n> Quels horaires pour le guichet des cartes\ngrises et des permis ?\n\nDe 8h30 à 11h30.';
    expect(stripQuotes(body).text).toBe('Bonjour,\n\nDe 8h30 à 11h30.');
  });

  it('cuts a top-posted reply above a quoted history that holds no new text', () => {
    const body = `${ANSWER}\n\nLe lun. 3 juin 2019 à 10:12, Camille <c@example.fr> a écrit :\n> Question\n> -- \n> Camille`;
    expect(stripQuotes(body).text).toBe(ANSWER);
  });

  it('keeps text without history unchanged (signature included)', () => {
    expect(stripQuotes(ANSWER)).toEqual({ text: ANSWER, rule: null });
  });

  it('keeps inline answers between quoted lines (bottom-posting)', () => {
    const body = 'Le 03/06/2019 à 10:12, Camille a écrit :\n> Horaires ?\nDe 8h30 à 11h30.\n> Rendez-vous ?\nOui, en ligne.\n\nCordialement,\nPaul ROUX';
    expect(stripQuotes(body).text).toBe('De 8h30 à 11h30.\nOui, en ligne.\n\nCordialement,\nPaul ROUX');
  });

  it('does not cut on body lines that merely look like headers', () => {
    const body = 'Bonjour,\nDe : 8h30 à 11h30 le matin.\nLe dossier a été écrit par le service.\nCordialement,\nMarie';
    expect(stripQuotes(body).text).toBe(body);
  });

  it('stays fast on very long lines (email-reply-parser is quadratic on them)', () => {
    const t0 = performance.now();
    stripQuotes(`Réponse\n\nLe ${'1 '.repeat(20_000)}\n`);
    stripQuotes(`Réponse\n\nDe : ${'a '.repeat(20_000)}\n`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('handles CRLF and empty input', () => {
    expect(stripQuotes('Réponse\r\n\r\n> cité\r\n').text).toBe('Réponse');
    expect(stripQuotes('').text).toBe('');
    expect(stripQuotes('   \n ').text).toBe('');
  });

  it('prefers the text part and converts HTML otherwise', () => {
    expect(replyBody({ text: 'texte', html: '<p>html</p>' })).toBe('texte');
    expect(replyBody({ text: '  ', html: '<p>html</p>' })).toBe('html');
    expect(replyBody({})).toBe('');
    const html = '<div>Réponse ici</div><div class="gmail_quote"><div>Le lun. 3 juin 2019 à 10:12, X &lt;x@y.fr&gt; a écrit&nbsp;:</div><blockquote><div>Question</div></blockquote></div>';
    expect(stripReply({ html }).text).toBe('Réponse ici');
  });
});
