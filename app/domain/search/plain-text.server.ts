/**
 * Markdown → plain text for search snippets: a hit shows "Học tập suốt đời" rather than
 * `**"Học tập"** suốt đời`. Walks marked's tokens (the same parser that renders the pages), keeps
 * the words of text, emphasis, links, image alt text, code, lists and tables, and drops markup and
 * raw HTML tags.
 */
import { Lexer, type Token, type Tokens } from 'marked';

const lexer = () => new Lexer({ gfm: true, breaks: false });

function walk(tokens: Token[] | undefined, out: string[]): void {
  for (const tok of tokens ?? []) {
    switch (tok.type) {
      case 'space':
      case 'hr':
      case 'br':
        out.push(' ');
        break;
      case 'html':
        // Raw HTML: its tags are markup, the text between them arrives as text tokens.
        if ((tok as Tokens.HTML).block) out.push(' ', (tok as Tokens.HTML).text.replace(/<[^>]*>/g, ' '), ' ');
        break;
      case 'list':
        for (const item of (tok as Tokens.List).items) {
          walk(item.tokens, out);
          out.push(' ');
        }
        break;
      case 'table': {
        const t = tok as Tokens.Table;
        for (const cell of t.header) {
          walk(cell.tokens, out);
          out.push(' ');
        }
        for (const row of t.rows)
          for (const cell of row) {
            walk(cell.tokens, out);
            out.push(' ');
          }
        break;
      }
      case 'code':
      case 'codespan':
      case 'escape':
        out.push((tok as Tokens.Codespan).text);
        break;
      default: {
        const children = (tok as { tokens?: Token[] }).tokens;
        if (children && children.length) walk(children, out);
        else if ('text' in tok && typeof tok.text === 'string') out.push(tok.text);
        if (tok.type === 'heading' || tok.type === 'paragraph' || tok.type === 'blockquote') out.push(' ');
      }
    }
  }
}

/** The readable words of a Markdown text, whitespace collapsed. */
export function markdownToPlainText(md: string): string {
  if (!/[*_`#>[\]!|<~-]/.test(md)) return md.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  walk(lexer().lex(md), out);
  return out
    .join('')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
