/** The dossier's PDF checks (what an upload may be) and the merge (pages kept in order). */
import { PDFDocument } from 'pdf-lib';
import { inspectPdf, mergePdfs } from '../../../server/committee/pdf-merge';

async function pdfOf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([200 + i, 300]);
  return Buffer.from(await doc.save());
}

describe('when an uploaded file is checked', () => {
  it.each([
    ['an image', Buffer.from('\x89PNG\r\n\x1a\n0000'), 'Le fichier n’est pas un PDF.'],
    ['an empty file', Buffer.alloc(0), 'Le fichier n’est pas un PDF.'],
    ['a PDF header over garbage', Buffer.from('%PDF-1.7\nnothing else here'), 'Le PDF est illisible ou endommagé.'],
  ])('then %s is refused with its reason', async (_c, data, reason) => {
    expect(await inspectPdf(data)).toEqual({ ok: false, reason });
  });

  it('then a real PDF is accepted with its page count', async () => {
    expect(await inspectPdf(await pdfOf(3))).toEqual({ ok: true, pages: 3 });
  });
});

describe('when the dossier’s parts are merged', () => {
  it('then every page is kept, in order, with the title in the properties', async () => {
    const merged = await mergePdfs([await pdfOf(2), await pdfOf(1)], { title: 'Dossier du comité', author: 'Préfecture', createdAt: new Date('2019-09-02T08:00:00Z') });
    const doc = await PDFDocument.load(merged);
    expect(doc.getPages().map((p) => Math.round(p.getWidth()))).toEqual([200, 201, 200]);
    expect(doc.getTitle()).toBe('Dossier du comité');
  });
});
