/** Plain text of sanitised HTML, for quotes, search, notices and mail (pure). */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function excerpt(html: string, n = 160): string {
  const t = plainText(html);
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
