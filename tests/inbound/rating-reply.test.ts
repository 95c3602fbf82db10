// Which replies count as a satisfaction rating: the survey link's subject, or a short reply that is
// only a number or a rating word (English, Chinese). Everything else stays a normal reply.
import { describe, expect, it } from 'vitest';
import { readRatingReply } from '../../src/satisfaction/rating-reply.ts';

const text = (body: string, subject = 'Re: Resolved: Filter broken') => readRatingReply(subject, body);

describe('a rating by the survey link', () => {
  it('reads the subject in either language, behind Re:/回复:, with the body as comment', () => {
    expect(readRatingReply('rating 4', '')).toEqual({ score: 4, comment: null, via: 'link' });
    expect(readRatingReply('评分 2', '客服回复太慢了。')).toEqual({ score: 2, comment: '客服回复太慢了。', via: 'link' });
    expect(readRatingReply('Re: Rating: 5', 'Ann was very patient.')).toMatchObject({ score: 5, comment: 'Ann was very patient.' });
    expect(readRatingReply('回复：评分 １', '')).toMatchObject({ score: 1 });
  });

  it('takes no other number and no longer subject', () => {
    expect(readRatingReply('rating 6', '')).toBeUndefined();
    expect(readRatingReply('rating 5 please call me', '')).toBeUndefined();
    expect(readRatingReply('My rating 5', '')).toBeUndefined();
  });
});

describe('a rating in a short reply', () => {
  it.each([
    ['5', 5],
    ['4/5', 4],
    ['3 stars', 3],
    ['Great, thanks!', 5],
    ['very good. Thank you', 5],
    ['good', 4],
    ['so-so', 3],
    ['Bad.', 2],
    ['terrible', 1],
    ['很好', 5],
    ['很好，谢谢！', 5],
    ['满意', 4],
    ['一般', 3],
    ['差', 2],
    ['不满意', 2],
    ['非常不满意', 1],
    ['5分', 5],
    ['五星', 5],
    ['２', 2],
  ])('%s → %i', (reply, score) => {
    expect(text(reply)).toEqual({ score, comment: null, via: 'text' });
  });

  it('keeps the lines after the rating as the comment', () => {
    expect(text('Great\n\nAnn found the problem in minutes.')).toEqual({ score: 5, comment: 'Ann found the problem in minutes.', via: 'text' });
    expect(text('不满意\n等了三天才有人回复。')).toEqual({ score: 2, comment: '等了三天才有人回复。', via: 'text' });
  });

  it.each([
    'Great, but the app still crashes when I open it.',
    'Thanks!',
    'ok',
    '好的',
    'not bad at all, though I have one more question',
    'The filter is still bad',
    '还是不行，问题没有解决',
    '5 more devices have the same problem',
    '',
  ])('is a normal reply: %j', (reply) => {
    expect(text(reply)).toBeUndefined();
  });

  it('is a normal reply when long, whatever its first line', () => {
    expect(text(`bad\n${'The update broke everything again. '.repeat(10)}`)).toBeUndefined();
  });
});
