// The booth's own devices, each one small interface with a strict simulator as a first-class backend (the house's
// node-serialport model): the barcode scanner that reads the form's QR code, and the camera. The cash box is the
// konbini kiosk's (kiosk/devices/cash-box.ts). A real scanner is a keyboard-wedge reader or the browser's camera
// decoding the code; a real camera is the browser's: both send what they read to the same interfaces.
import { SAMPLE_PHOTOS, samplePhoto, type Photo, type SamplePhoto } from '../../samples/photos.ts';

/** The barcode scanner: while started, each code read goes to `onRead` as its text (the booth does not parse it here). */
export interface QrScanner {
  start(onRead: (text: string) => void): void;
  stop(): void;
  readonly reading: boolean;
}

export class ScannerNotReadingError extends Error {
  constructor() {
    super('the scanner is not reading now: the booth asks for the form only after the fee is paid');
    this.name = 'ScannerNotReadingError';
  }
}

/**
 * The simulated scanner: the operator (or a journey) holds a code to it. A code held while it is not reading is not
 * read, as with a real scanner whose light is off; that is said, never silently dropped.
 */
export class SimQrScanner implements QrScanner {
  #onRead: ((text: string) => void) | null = null;
  #broken = false;

  get reading(): boolean {
    return this.#onRead !== null;
  }

  start(onRead: (text: string) => void): void {
    this.#onRead = onRead;
  }

  stop(): void {
    this.#onRead = null;
  }

  /** A code held to the scanner: its text is read (false: a broken scanner reads nothing). */
  present(text: string): boolean {
    if (!this.#onRead) throw new ScannerNotReadingError();
    if (this.#broken) return false;
    this.#onRead(text);
    return true;
  }

  /** The scanner stops reading anything (a fault an operator can set), or works again. */
  setBroken(broken: boolean): void {
    this.#broken = broken;
  }
}

/** The camera: one photograph now, as RGB pixels. It fails with CameraError. */
export interface Camera {
  capture(): Promise<Photo>;
}

export class CameraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CameraError';
  }
}

/**
 * The simulated camera: what stands in front of it is one of the sample photographs (samples/photos.ts), chosen by
 * the operator or a journey; a fault makes the next capture fail.
 */
export class SimCamera implements Camera {
  #subject: SamplePhoto = 'good';
  #failNext = false;

  /** Who (or what) is in front of the camera for the next photographs. */
  pose(subject: SamplePhoto): void {
    if (!(SAMPLE_PHOTOS as readonly string[]).includes(subject)) throw new RangeError(`no sample photograph "${String(subject).slice(0, 40)}": ${SAMPLE_PHOTOS.join(', ')}`);
    this.#subject = subject;
  }

  get subject(): SamplePhoto {
    return this.#subject;
  }

  failNext(): void {
    this.#failNext = true;
  }

  async capture(): Promise<Photo> {
    if (this.#failNext) {
      this.#failNext = false;
      throw new CameraError('the camera gave no picture');
    }
    return samplePhoto(this.#subject);
  }
}

/**
 * The browser's camera (the booth's screen runs getUserMedia): a capture waits for the screen to send the frame it
 * grabbed (POST /api/v1/booth/photo), at most `waitMs`; then it fails as a camera that gave no picture.
 */
export class BrowserCamera implements Camera {
  #pending: { resolve: (p: Photo) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;

  constructor(readonly waitMs = 15_000) {}

  get waiting(): boolean {
    return this.#pending !== null;
  }

  capture(): Promise<Photo> {
    this.#pending?.reject(new CameraError('a new capture began'));
    return new Promise<Photo>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending = null;
        reject(new CameraError(`the screen sent no picture within ${this.waitMs / 1000} s`));
      }, this.waitMs);
      timer.unref?.();
      this.#pending = { resolve, reject, timer };
    });
  }

  /** The frame the screen grabbed; false when no capture waits for one. */
  deliver(photo: Photo): boolean {
    const p = this.#pending;
    if (!p) return false;
    this.#pending = null;
    clearTimeout(p.timer);
    p.resolve(photo);
    return true;
  }
}
