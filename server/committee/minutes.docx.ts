/**
 * The draft of a meeting's minutes as DOCX (the only `docx` import), laid out like the seed's
 * compte-rendu: subject, participants by category, agenda, the documents of the dossier, then
 * one heading per agenda item. « Présentation de nos résultats » is pre-written from the
 * board's figures, each sentence with a footnote naming its indicator, month and value; the
 * suggestions recorded after the meeting fill the suggestions item. Everything else is left
 * « [À compléter] » for the referent to write in Word or LibreOffice.
 */
import { Document, FootnoteReferenceRun, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { formatDate } from '../format';
import type { ParticipantCategory } from '../storage/schema';
import { CATEGORY_LABELS, KIND_LABELS, PARTICIPANT_CATEGORIES } from './meeting.schemas';
import type { MeetingRow } from './meeting.store';
import type { ResultSentence } from './results-sentences';

export interface MinutesInput {
  orgName: string;
  meeting: Pick<MeetingRow, 'heldOn' | 'kind' | 'participants' | 'agenda'>;
  contents: string[];
  sentences: ResultSentence[];
  suggestions: string[];
}

const TODO = '[À compléter]';
const para = (text: string, opts: { bold?: boolean; italics?: boolean } = {}) => new Paragraph({ children: [new TextRun({ text, ...opts })], spacing: { after: 120 } });
const bullet = (text: string) => new Paragraph({ text, bullet: { level: 0 } });
const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_2) => new Paragraph({ text, heading: level, spacing: { before: 240, after: 120 } });

const isResults = (item: string) => /r[ée]sultats/i.test(item);
const isSuggestions = (item: string) => /suggestion/i.test(item);

export function minutesTitle(m: Pick<MeetingRow, 'heldOn' | 'kind'>): string {
  return `Compte-rendu de la réunion du ${KIND_LABELS[m.kind].charAt(0).toLowerCase()}${KIND_LABELS[m.kind].slice(1)} du ${formatDate(m.heldOn)}`;
}

function resultsPart(sentences: ResultSentence[], firstFootnote: number): Paragraph[] {
  if (!sentences.length) return [para('Aucun indicateur n’a de valeur sur la période du dossier. ' + TODO, { italics: true })];
  return [
    para('Des indicateurs de qualité sont suivis mensuellement.'),
    ...sentences.map((s, i) => new Paragraph({ children: [new TextRun(s.text), new FootnoteReferenceRun(firstFootnote + i)], spacing: { after: 120 } })),
  ];
}

export async function minutesDocx(input: MinutesInput): Promise<Buffer> {
  const m = input.meeting;
  const title = minutesTitle(m);
  const children: Paragraph[] = [
    para(input.orgName, { bold: true }),
    para(`Le ${formatDate(m.heldOn)}`),
    new Paragraph({ children: [new TextRun({ text: 'objet : ', bold: true }), new TextRun(title)], spacing: { after: 240 } }),
  ];
  for (const category of PARTICIPANT_CATEGORIES as readonly ParticipantCategory[]) {
    const names = m.participants.filter((p) => p.category === category).map((p) => p.name);
    if (!names.length) continue;
    children.push(heading(CATEGORY_LABELS[category], HeadingLevel.HEADING_3), ...names.map(bullet));
  }
  children.push(para(`Ouverture de la réunion par ${TODO}`), para('Un tour de table de présentation est réalisé. L’ordre du jour est rappelé :'));
  m.agenda.forEach((item, i) => children.push(para(`${i + 1}. ${item}`)));
  if (input.contents.length) children.push(para('Un dossier est remis à chaque participant. Il comprend :'), ...input.contents.map(bullet));

  let resultsDone = false;
  m.agenda.forEach((item, i) => {
    children.push(heading(`${i + 1}. ${item}`));
    if (isResults(item) && !resultsDone) {
      children.push(...resultsPart(input.sentences, 1));
      resultsDone = true;
    } else if (isSuggestions(item)) {
      children.push(...(input.suggestions.length ? input.suggestions.map(bullet) : [para(TODO, { italics: true })]));
    } else children.push(para(TODO, { italics: true }));
  });
  if (!resultsDone) children.push(heading('Présentation de nos résultats'), ...resultsPart(input.sentences, 1));
  children.push(
    heading('Conclusion'),
    para('Le référent Qualité adressera le compte-rendu de cette réunion à chaque participant. L’ordre du jour étant épuisé, la séance est levée.'),
  );

  const footnotes = Object.fromEntries(input.sentences.map((s, i) => [i + 1, { children: [new Paragraph(s.reference)] }]));
  const doc = new Document({
    creator: input.orgName, title, description: 'Projet de compte-rendu préparé avec Qualimètre',
    styles: { default: { document: { run: { font: 'Arial', size: 22 } } } },
    footnotes,
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
