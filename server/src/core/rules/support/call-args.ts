/**
 * Reading a call's settings the way a rule needs to: an argument by path, a settings object we
 * cannot see into, and the call that built a method call's receiver (where settings may live).
 */
import type { Expr } from '../../ir';
import type { CallSite } from '../../types';
import type { RuleContext } from '../types';

type CallExpr = Expr & { k: 'call' };

/** The call site's argument at `path` (`temperature`, `config.temperature`, `#0`), if it is written. */
export function siteArg(site: CallSite, ctx: RuleContext, path: string) {
  return ctx.resolver.argAt(site.info.expr, site.info.scope, path, ctx.language === 'typescript');
}

/** A settings argument we cannot see into (`config=cfg` with `cfg` a parameter): any setting may be in it. */
export function settingsHidden(call: CallExpr, scope: number, ctx: RuleContext, path: string): boolean {
  const loc = ctx.resolver.argAt(call, scope, path, ctx.language === 'typescript' || call.isNew);
  if (!loc) return false;
  const d = ctx.resolver.deref(loc.expr, loc.scope);
  // A typed parameter (`config: GenerateContentConfig`) resolves to a call with no arguments and no call id.
  return d.expr.k !== 'dict' && !(d.expr.k === 'call' && d.expr.callId >= 0);
}

/**
 * The call that built a method call's receiver — a chat session or model object made elsewhere
 * (`chats.create(config=…)` for `chat.send_message(…)`, `GenerativeModel(…)`) — or null.
 */
export function receiverCall(site: CallSite, ctx: RuleContext): { call: CallExpr; scope: number } | null {
  const callee = site.info.expr.callee;
  if (callee.k !== 'attr') return null;
  const receiver = ctx.resolver.deref(callee.object, site.info.scope);
  return receiver.expr.k === 'call' ? { call: receiver.expr, scope: receiver.scope } : null;
}
