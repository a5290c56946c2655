import { templateXlsx } from '~/domain/contests/bank.server';

/** The question bank template (XLSX) organisers fill in and import. */
export async function loader() {
  return new Response(new Uint8Array(await templateXlsx()), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': 'attachment; filename="contest-bank-template.xlsx"',
      'Cache-Control': 'public, max-age=3600',
    },
  });
}
