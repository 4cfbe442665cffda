// Type declarations for booking-widget's embed.js (window.BookingWidget), version 1.

/** Options of one widget; every field can also be given as a data-* attribute (data-primary-color, ...). */
export interface WidgetOptions {
  /** Company id (required). */
  company: string;
  /** Origin of the booking server's API, when not the widget's own. */
  api?: string;
  service?: string;
  staff?: string;
  resource?: string;
  /** en, fr, de, es, pt, nl or it (default: the browser's). */
  lang?: string;
  /** The visitor's IANA time zone (default: the browser's). */
  timeZone?: string;
  theme?: "light" | "dark" | "auto";
  primaryColor?: string;
  /** Form prefill by FormItem.externalId (data-prefill-<name>). Host page query parameters are forwarded too. */
  prefill?: Record<string, string>;
  /** Stored as extendedProperties.public and shown on the confirmation (data-ep-<key>). */
  extendedProperties?: Record<string, string>;
  /** Accessible name of the iframe / dialog. */
  title?: string;
  /** Initial iframe height in px before the widget reports its own (default 600). */
  height?: number;
}

export interface DateTimeZone { dateTime: string; timeZone?: string; }

/** The public view of an appointment, as bookingSucceeded / rescheduled / cancelled carry it. */
export interface PublicAppointment {
  id?: string;
  reference?: string;
  encryptedId?: string;
  start?: DateTimeZone;
  end?: DateTimeZone;
  service?: { id?: string; name?: string };
  staff?: { id?: string; firstName?: string; lastName?: string };
  location?: "companyAddress" | "videoconference" | "phone" | "custom";
  locationCustom?: string;
  onlineMeeting?: { provider?: "agendize" | "teams"; videoLink?: string };
  price?: { amount: number; currency: string };
  status?: "completed" | "noShow" | "accepted" | "pending" | "declined" | "cancelled" | "inProgress";
  rescheduleLink?: { url?: string };
  /** The public extended properties only. */
  extendedProperties?: Record<string, unknown>;
  addToWaitingList?: boolean;
}

export interface EventPayloads {
  ready: Record<string, never>;
  /** The public service as the widget shows it. */
  serviceSelected: { id?: string; name?: string; description?: string; duration?: number;
                     price?: { amount: number; currency: string } };
  /** `start` is RFC 3339 with offset; `staffId` null = "any available". */
  slotSelected: { start: string; serviceId: string | null; staffId: string | null };
  bookingSucceeded: PublicAppointment;
  /** `status` null = the server could not be reached. */
  bookingFailed: { status: number | null; message: string };
  rescheduled: PublicAppointment;
  cancelled: PublicAppointment;
  resize: { height: number };
  closed: null;
}
export type EventType = keyof EventPayloads;

/** What a DOM CustomEvent `booking:<type>` carries in `detail`. */
export interface EventDetail<T extends EventType = EventType> {
  type: T;
  version: 1;
  /** Id of the widget instance that sent it (several widgets on one page each have their own). */
  widget: string;
  payload: EventPayloads[T];
}

export interface WidgetInstance {
  id: string;
  kind: "inline" | "popup";
  container: HTMLElement;
  iframe: HTMLIFrameElement;
  on<T extends EventType>(type: T, fn: (payload: EventPayloads[T], detail: EventDetail<T>) => void): WidgetInstance;
  /** Prefills more fields (reloads the widget with them). */
  prefill(values: Record<string, string>): WidgetInstance;
  destroy(): void;
  /** Popups only. */
  close?(): void;
}

export interface BookingWidgetApi {
  version: 1;
  widgetOrigin: string;
  inline(el: HTMLElement | string, options?: Partial<WidgetOptions>): WidgetInstance;
  popup(options: WidgetOptions): WidgetInstance;
  button(label: string, options: WidgetOptions): HTMLButtonElement;
  on<T extends EventType>(type: T, fn: (payload: EventPayloads[T], detail: EventDetail<T>) => void): BookingWidgetApi;
  /** Prefill for every widget on the page (current and future). */
  prefill(values: Record<string, string>): BookingWidgetApi;
  /** Binds elements added after load (data-booking-widget, data-booking-popup, data-booking-button). */
  scan(root?: ParentNode): void;
  instances: WidgetInstance[];
}

declare global {
  interface Window { BookingWidget: BookingWidgetApi; }
  interface DocumentEventMap {
    "booking:bookingSucceeded": CustomEvent<EventDetail<"bookingSucceeded">>;
  }
}
