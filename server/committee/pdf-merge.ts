/**
 * The dossier's PDF plumbing (the only pdf-lib import): checking that an uploaded file is a
 * readable PDF, and merging the dossier's parts (rendered pages, then attachments) into one.
 */
import { PDFDocument } from 'pdf-lib';

export type PdfCheck = { ok: true; pages: number } | { ok: false; reason: string };

/** Is this a PDF that pdf-lib can read and copy pages from (not encrypted, at least one page)? */
export async function inspectPdf(data: Buffer): Promise<PdfCheck> {
  if (data.length < 8 || data.subarray(0, 5).toString('latin1') !== '%PDF-') return { ok: false, reason: 'Le fichier n’est pas un PDF.' };
  try {
    const doc = await PDFDocument.load(data, { updateMetadata: false });
    const pages = doc.getPageCount();
    return pages > 0 ? { ok: true, pages } : { ok: false, reason: 'Le PDF ne contient aucune page.' };
  } catch (e) {
    const encrypted = e instanceof Error && /encrypt/i.test(e.message);
    return { ok: false, reason: encrypted ? 'Le PDF est protégé (chiffré) : enregistrez-en une version sans protection.' : 'Le PDF est illisible ou endommagé.' };
  }
}

/** One PDF of every part, in order, with the dossier's title in its properties. */
export async function mergePdfs(parts: Buffer[], meta: { title: string; author: string; createdAt: Date }): Promise<Buffer> {
  const out = await PDFDocument.create();
  for (const part of parts) {
    const src = await PDFDocument.load(part, { updateMetadata: false });
    const pages = await out.copyPages(src, src.getPageIndices());
    for (const p of pages) out.addPage(p);
  }
  out.setTitle(meta.title);
  out.setAuthor(meta.author);
  out.setLanguage('fr-FR');
  out.setProducer('Qualimètre');
  out.setCreationDate(meta.createdAt);
  return Buffer.from(await out.save());
}
