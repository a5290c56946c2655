/** HTML that the server rendered from Markdown and sanitised (app/lib/markdown.server.ts). */
export function SafeHtml({ html, className = 'prose' }: { html: string; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
