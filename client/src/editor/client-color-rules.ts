/**
 * Per-peer colours for Monaco decorations. Decorations can only carry class names, so each remote client
 * gets a rule `.remote-client-<id>` in a constructed stylesheet whose `--remote-color` is set through the
 * CSSOM (`style.setProperty`) from a validated `#rrggbb`: a peer's text is never spliced into CSS source.
 */
import { isUserColor } from '../../../shared/awareness-user.js';

export function clientClassName(clientId: number): string {
  return `remote-client-${clientId}`;
}

export class ClientColorRules {
  private readonly sheet = new CSSStyleSheet();
  private readonly rules = new Map<number, CSSStyleRule>();

  constructor(private readonly root: Document = document) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.sheet];
  }

  set(clientId: number, color: string): void {
    if (!Number.isSafeInteger(clientId) || clientId < 0 || !isUserColor(color)) return;
    let rule = this.rules.get(clientId);
    if (!rule) {
      const index = this.sheet.insertRule(`.${clientClassName(clientId)} {}`, this.sheet.cssRules.length);
      rule = this.sheet.cssRules[index] as CSSStyleRule;
      this.rules.set(clientId, rule);
    }
    if (rule.style.getPropertyValue('--remote-color') !== color)
      rule.style.setProperty('--remote-color', color);
  }

  /** Drops the rules of clients that are gone. */
  retainOnly(clientIds: ReadonlySet<number>): void {
    for (const [clientId, rule] of this.rules) {
      if (clientIds.has(clientId)) continue;
      const index = Array.prototype.indexOf.call(this.sheet.cssRules, rule);
      if (index >= 0) this.sheet.deleteRule(index);
      this.rules.delete(clientId);
    }
  }

  destroy(): void {
    this.root.adoptedStyleSheets = this.root.adoptedStyleSheets.filter((sheet) => sheet !== this.sheet);
    this.rules.clear();
  }
}
