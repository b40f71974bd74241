import { buildMessage, newsletter, outOfOffice } from '../../helpers/mail-services';
import { readIncoming, readSent } from '../../../server/sampling/sampling.service';

const date = new Date('2019-08-05T10:00:00+02:00');
const internal = new Set(['haute-savoie.gouv.fr']);
const fetched = (source: Buffer, internalDate: Date | null = date) => ({ uid: 1, internalDate, size: source.length, source, truncated: false });
const probe = { messageId: '<p@haute-savoie.gouv.fr>', subject: 'Votre demande', from: { address: 'pref-info@haute-savoie.gouv.fr' }, to: 'x@courriel.example', date, text: 'Bonjour' };

describe('reading an incoming message', () => {
  it.each<[string, Buffer, string | null]>([
    ['a citizen’s question', buildMessage({ from: { address: 'Jeanne@Courriel.example' }, to: 'pref-info@haute-savoie.gouv.fr', subject: 'Carte grise', date, text: 'Bonjour' }), null],
    ['an out-of-office notice', outOfOffice(probe, date, { address: 'agent@courriel.example' }), 'auto-reply'],
    ['a newsletter', newsletter('pref-info@haute-savoie.gouv.fr', date), 'list'],
    ['a colleague', buildMessage({ from: { address: 'agent@haute-savoie.gouv.fr' }, to: 'pref-info@haute-savoie.gouv.fr', subject: 'Réunion', date, text: 'À 10 h' }), 'internal'],
  ])('when it is %s, then it is excluded as %p', async (_, raw, excluded) => {
    const m = await readIncoming(fetched(raw), internal);
    expect(m.excluded).toBe(excluded);
    expect(m.date).toEqual(date);
  });

  it('when the sender is mixed-case, then it is lowercased for matching', async () => {
    const m = await readIncoming(fetched(buildMessage({ from: { address: 'Jeanne@Courriel.example' }, to: 'a@b.example', subject: 'Q', date, text: 'x' })), internal);
    expect(m.from).toBe('jeanne@courriel.example');
  });

  it('when a message has neither Date header nor internal date, then reading it throws (the run counts it as failed)', async () => {
    const raw = Buffer.from('From: a@courriel.example\r\nSubject: sans date\r\n\r\nBonjour\r\n');
    await expect(readIncoming(fetched(raw, null), internal)).rejects.toThrow('no date');
    await expect(readSent(fetched(raw, null))).rejects.toThrow('no date');
  });

  it('when a reply is read, then its recipients (To and Cc) and thread headers are kept', async () => {
    const raw = buildMessage({ from: { address: 'pref-info@haute-savoie.gouv.fr' }, to: 'Jeanne@courriel.example', subject: 'RE: Q', date, inReplyTo: '<q@courriel.example>', references: ['<a@b>', '<q@courriel.example>'], headers: { Cc: 'paul@courriel.example' }, text: 'Réponse' });
    const s = await readSent(fetched(raw));
    expect(s).toMatchObject({ to: ['jeanne@courriel.example', 'paul@courriel.example'], inReplyTo: '<q@courriel.example>', references: ['<a@b>', '<q@courriel.example>'] });
  });
});
