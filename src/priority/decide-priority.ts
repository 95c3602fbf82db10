// A mail's priority: the highest of the ticket's current priority, the VIP priority and any
// matched keyword's. Priority only rises here; agents lower it with `#priority`.
import type { App } from '../app.ts';
import { PRIORITIES, type Priority } from '../store/schema.ts';
import { keywordMatcher, type KeywordMatcher } from './keywords.ts';

export interface PriorityDecision {
  priority: Priority;
  vip: boolean;
  /** The configured words found in the mail, as written in the config. */
  matched: string[];
}

const rank = (p: Priority) => PRIORITIES.indexOf(p);
export const higherPriority = (a: Priority, b: Priority): Priority => (rank(b) > rank(a) ? b : a);

const matchers = new WeakMap<App, KeywordMatcher>();

function matcherFor(app: App): KeywordMatcher {
  let matcher = matchers.get(app);
  if (!matcher) matchers.set(app, (matcher = keywordMatcher(app.config.priority.keywords)));
  return matcher;
}

export function decidePriority(app: App, input: { current: Priority; vip: boolean; text: string }): PriorityDecision {
  const hits = matcherFor(app)(input.text);
  let priority = input.current;
  if (input.vip) priority = higherPriority(priority, app.config.priority.vipPriority);
  for (const hit of hits) priority = higherPriority(priority, hit.priority);
  return { priority, vip: input.vip, matched: hits.map((h) => h.word) };
}
