import { describe, expect, it } from 'vitest';
import { MINISTACK_PYTHON_TIMEOUT_MS, runWithMinistack } from '../../support/ministack-python.js';

/**
 * SQS long polling on the local stack (localstack/ministack_launch.py), driven through MiniStack's
 * own handlers: a ReceiveMessage waiting on a queue answers when a message is sent to it, not at
 * its next look. The look is set to 20 s here, so an answer within 5 s of the send is the wake.
 */
describe('SQS long polling on the local stack', { timeout: MINISTACK_PYTHON_TIMEOUT_MS }, () => {
  it('answers a waiting ReceiveMessage as soon as a message is sent to its queue, and only to that queue', () => {
    expect(
      runWithMinistack(`
import asyncio
from ministack.services import sqs
sqs.asyncio.look_again_s = 20
async def main():
    url = sqs._act_create_queue({"QueueName": "replies"}, "")["QueueUrl"]
    other = sqs._act_create_queue({"QueueName": "other"}, "")["QueueUrl"]
    receiving = asyncio.ensure_future(sqs._HANDLERS["ReceiveMessage"]({"QueueUrl": url, "WaitTimeSeconds": 20}, url))
    replies = id(sqs._get_q(url))
    while replies not in ministack_launch._receivers:
        await asyncio.sleep(0.01)
    sqs._HANDLERS["SendMessage"]({"QueueUrl": other, "MessageBody": "not yours"}, other)
    # A wake is a callback the send queued on the loop: it has run once this task runs again.
    await asyncio.sleep(0)
    woke_for_other = any(event.is_set() for _, event in ministack_launch._receivers.get(replies, ()))
    sent = time.monotonic()
    sqs._HANDLERS["SendMessage"]({"QueueUrl": url, "MessageBody": "reply"}, url)
    answer = await asyncio.wait_for(receiving, 30)
    return {"bodies": [m["Body"] for m in answer.get("Messages", [])], "answeredWithin5s": time.monotonic() - sent < 5,
            "wokeForOther": woke_for_other, "waiting": len(ministack_launch._receivers)}
print(json.dumps(asyncio.run(main())))
`),
    ).toEqual({ bodies: ['reply'], answeredWithin5s: true, wokeForOther: false, waiting: 0 });
  });
});
