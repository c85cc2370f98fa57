import type { OutboundMessage } from './event-publisher';
import { estimateRecordBytes, messagesFrom, planPublishSteps, sameMessages } from './outbound-batches';
import { MessageTooLargeError, UnserialisableMessageError } from './publish-errors';

const message = (key: string, size = 10, topic = 'orders.events'): OutboundMessage => ({
  topic,
  key,
  value: 'x'.repeat(size),
  headers: { 'event-type': 'Tested' },
});

describe('planPublishSteps', () => {
  const limits = { maxMessageBytes: 1_000, maxBatchMessages: 3 };

  it('keeps the order and caps requests by message count', () => {
    const messages = ['a', 'b', 'c', 'd'].map((key) => message(key));
    const steps = planPublishSteps(messages, limits);
    expect(steps.map((step) => (step.kind === 'send' ? step.messages.map((m) => m.key) : step.kind))).toEqual([
      ['a', 'b', 'c'],
      ['d'],
    ]);
  });

  it('caps requests by total size, since the broker limits the record batch, not the record', () => {
    const messages = ['a', 'b', 'c'].map((key) => message(key, 400));
    const steps = planPublishSteps(messages, { maxMessageBytes: 1_000, maxBatchMessages: 100 });
    expect(steps.map((step) => (step.kind === 'send' ? step.messages.length : 0))).toEqual([2, 1]);
  });

  it('refuses oversized and unserialisable messages in place, without sending them', () => {
    const unserialisable = { ...message('u'), value: { not: 'bytes' } } as unknown as OutboundMessage;
    const badHeader = { ...message('h'), headers: { sequence: 3 } } as unknown as OutboundMessage;
    const steps = planPublishSteps([message('a'), message('big', 2_000), unserialisable, badHeader, message('b')], limits);
    expect(steps.map((step) => step.kind)).toEqual(['send', 'refuse', 'refuse', 'refuse', 'send']);
    const [, tooLarge, notBytes, notString] = steps;
    expect(tooLarge?.kind === 'refuse' && tooLarge.error).toBeInstanceOf(MessageTooLargeError);
    expect(notBytes?.kind === 'refuse' && notBytes.error).toBeInstanceOf(UnserialisableMessageError);
    expect(notString?.kind === 'refuse' && notString.error.message).toContain("header 'sequence'");
    expect(messagesFrom(steps, 1).map((m) => m.key)).toEqual(['big', 'u', 'h', 'b']);
  });

  it('plans the same requests for the same messages, which lets a resent request be recognised', () => {
    const messages = Array.from({ length: 10 }, (_, index) => message(`k${index}`, 150));
    const first = planPublishSteps(messages, limits);
    const again = planPublishSteps(messages.slice(3), limits);
    expect(first.slice(1)).toEqual(again);
  });
});

describe('estimateRecordBytes', () => {
  it('counts key, value and headers in bytes, not characters', () => {
    const ascii = estimateRecordBytes({ topic: 't', key: 'k', value: 'aa', headers: {} });
    const utf8 = estimateRecordBytes({ topic: 't', key: 'k', value: 'éé', headers: {} });
    expect(utf8 - ascii).toBe(2);
    expect(estimateRecordBytes({ topic: 't', key: 'k', value: Buffer.alloc(1_000), headers: { a: 'b' } })).toBeGreaterThan(1_000);
  });
});

describe('sameMessages', () => {
  it('compares content, so a rebuilt copy of a batch is the same batch', () => {
    const batch = [message('a'), { ...message('b'), value: Buffer.from('xyz') }];
    const copy = batch.map((m) => ({ ...m, headers: { ...m.headers } }));
    expect(sameMessages(batch, copy)).toBe(true);
    expect(sameMessages(batch, [message('a'), { ...message('b'), value: 'xyz' }])).toBe(true);
    expect(sameMessages(batch, [message('a')])).toBe(false);
    expect(sameMessages(batch, [message('a'), { ...message('b'), headers: { 'event-type': 'Other' } }])).toBe(false);
  });
});
