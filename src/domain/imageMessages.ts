import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { ImageBytes, ImageRecord, ImageStore } from '../store/imageStore.js';
import type { ImageIntake, UploadRefusal } from './imageIntake.js';
import type { Messaging } from './messaging.js';
import type { Participant } from './participant.js';
import { refusal, type Delivery, type RefusedError } from './roomEvent.js';
import { pickSeat } from './seats.js';

/** What an image message says to clients that show only text (seed clients, notifications). */
export const IMAGE_MESSAGE_TEXT = '[图片]';

/**
 * Images in a conversation: an upload is taken in (ImageIntake) into the uploader's open
 * conversation, then sent as an image message, which goes out like a text message. Without an
 * image store, uploads and image messages are refused.
 */
export class ImageMessages {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly messaging: Messaging,
    private readonly images: ImageStore | undefined,
    private readonly intake: ImageIntake | undefined,
  ) {}

  /**
   * An image message: the image was uploaded into this conversation first (uploadImage), and
   * now goes out like a text message (stored, acked, relayed, replayed), with `[图片]` as its text.
   */
  async sendImage(from: Participant, imageId: string, cid?: string, conversationId?: string): Promise<Delivery[]> {
    const room = from.room;
    // A customer still waiting: the bot answers the placeholder text, as for any question.
    if (room === undefined) return this.messaging.postMessage(from, IMAGE_MESSAGE_TEXT, cid, conversationId);
    const refuse = (error: RefusedError): Delivery[] => refusal(from.session, error, cid, conversationId);
    let view;
    try {
      view = await this.registry.getRoom(room);
    } catch {
      return refuse('unavailable');
    }
    // An image belongs to the conversation it was uploaded into; an agent alone has none.
    const pick = pickSeat(view, from, conversationId);
    if (pick.kind === 'refused') return refuse(pick.error);
    if (pick.kind === 'alone') return refuse('bad_image');
    const seat = pick.seat;
    let record;
    try {
      record = await this.images?.get(imageId);
      // Unknown, or uploaded into another conversation: the same answer, so nothing leaks.
      if (!record || record.conversationId !== seat.conversationId) return refuse('bad_image');
      // Marked before the message is stored, so the clean-up of unsent images never removes one
      // a stored message refers to; false: it removed this one a moment ago.
      if (!(await this.images?.markSent(imageId))) return refuse('bad_image');
    } catch {
      return refuse('store_failed');
    }
    const image: ImageRef = { id: record.id, mime: record.mime, bytes: record.bytes };
    if (record.width !== undefined) image.width = record.width;
    if (record.height !== undefined) image.height = record.height;
    return this.messaging.storeMessage(from, room, view, { content: IMAGE_MESSAGE_TEXT, cid, conversationId, image });
  }

  /**
   * Stores an uploaded image in a conversation, if its bytes are a PNG, JPEG, GIF or WebP
   * (whatever the client called it) within the limits (ImageIntake): a whole file, or an
   * upload's body as it arrives. The conversation must be open.
   */
  async uploadImage(conversationId: string, role: 'kefu' | 'yonghu', data: Buffer | ImageBytes): Promise<ImageRecord | UploadRefusal> {
    if (!this.intake) return 'no_conversation';
    return this.intake.take(conversationId, role, Buffer.isBuffer(data) ? [data] : data);
  }
}
