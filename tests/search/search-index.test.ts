import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/search/search-index.ts';
import { compactTermMap, expandTermMap } from '../../src/search/index-codec.ts';

const docs = [
  { title: 'Change your delivery address', body: 'Go to orders and edit the address before the parcel ships.', meta: { id: 'address' } },
  { title: 'Track a parcel', body: 'The tracking link arrives by email. Delivery takes two days.', meta: { id: 'track' } },
  { title: 'Reset a forgotten password', body: 'Use the forgot password link on the sign-in page.', meta: { id: 'password' } },
  { title: '忘记密码怎么办', body: '在登录页面点击忘记密码，我们会发送重置链接。', meta: { id: 'password-zh' } },
  { title: '查询物流', body: '发货后我们会发送物流跟踪链接。', meta: { id: 'track-zh' } },
];
const ids = (index: SearchIndex<{ id: string }>, q: string) => index.search(q).map((h) => h.meta.id);

describe('SearchIndex', () => {
  const index = SearchIndex.build(docs);

  it('ranks a question that names the words above one that only mentions them', () => {
    expect(ids(index, 'delivery')[0]).toBe('address');
    expect(ids(index, 'parcel tracking')[0]).toBe('track');
  });

  it('finds Chinese by words inside longer text', () => {
    expect(ids(index, '密码忘了')[0]).toBe('password-zh');
    expect(ids(index, '物流信息')[0]).toBe('track-zh');
  });

  it('returns nothing for no matching word, and nothing for an empty query', () => {
    expect(index.search('xylophone')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
  });

  it('filters and limits', () => {
    const hits = index.search('password 密码', { limit: 1, filter: (m) => m.id.endsWith('-zh') });
    expect(hits.map((h) => h.meta.id)).toEqual(['password-zh']);
  });

  it('answers the same after a JSON round trip', () => {
    const copy = SearchIndex.fromJSON<{ id: string }>(JSON.parse(JSON.stringify(index.toJSON())));
    for (const q of ['delivery', 'forgot password', '忘记密码', 'tracking 物流']) {
      expect(copy.search(q)).toEqual(index.search(q));
    }
  });

  it('rejects an index file of another format', () => {
    expect(() => SearchIndex.fromJSON({ ...index.toJSON(), format: 'other' } as never)).toThrow(/unknown format/);
  });
});

describe('index codec', () => {
  it('writes only filled slots and restores FlexSearch’s shape', () => {
    const map: [string, (number[] | null)[]][] = [['a', [null, null, [3], null, [1, 2]]], ['b', [[0]]]];
    const compact = compactTermMap(map);
    expect(compact).toEqual([['a', 2, [3], 4, [1, 2]], ['b', 0, [0]]]);
    expect(expandTermMap(compact)).toEqual(map);
  });
});
