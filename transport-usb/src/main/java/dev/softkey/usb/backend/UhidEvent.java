package dev.softkey.usb.backend;

import dev.softkey.ctap.model.Bytes;

/**
 * An event the kernel writes to /dev/uhid ({@code struct uhid_event} in linux/uhid.h), decoded by
 * {@link UhidCodec#decode}. Only the kernel-to-user events are modelled; the user-to-kernel ones
 * (UHID_CREATE2, UHID_INPUT2, replies, UHID_DESTROY) are only ever encoded.
 */
sealed interface UhidEvent {

  /** UHID_START: a HID driver bound the device; {@code devFlags} is uhid_start_req.dev_flags. */
  record Start(long devFlags) implements UhidEvent {}

  /** UHID_STOP: the driver unbound the device. */
  record Stop() implements UhidEvent {}

  /** UHID_OPEN: the first user opened the hidraw (or input) node. */
  record Open() implements UhidEvent {}

  /** UHID_CLOSE: the last user closed it. */
  record Close() implements UhidEvent {}

  /**
   * UHID_OUTPUT: a report written by a client (uhid_output_req).
   *
   * @param data the {@code size} bytes of uhid_output_req.data, report ID byte included
   * @param reportType uhid_output_req.rtype (UHID_FEATURE_REPORT 0, UHID_OUTPUT_REPORT 1,
   *     UHID_INPUT_REPORT 2)
   */
  record Output(Bytes data, int reportType) implements UhidEvent {}

  /** UHID_GET_REPORT: the kernel waits for a UHID_GET_REPORT_REPLY carrying {@code id}. */
  record GetReport(long id, int reportNumber, int reportType) implements UhidEvent {}

  /** UHID_SET_REPORT: the kernel waits for a UHID_SET_REPORT_REPLY carrying {@code id}. */
  record SetReport(long id, int reportNumber, int reportType, Bytes data) implements UhidEvent {}

  /** Any other event type (legacy or newer than this code): ignored by the back-end. */
  record Other(int type) implements UhidEvent {}
}
