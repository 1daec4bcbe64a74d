package dev.softkey.control;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON of the events stream's data lines. */
final class Events {
  private Events() {}

  /** ctapRequest / ctapResponse: sequence, transport, and the message decoded ({@link CtapJson}). */
  static ObjectNode ctap(CtapTap.Exchange x) {
    ObjectNode o = Json.object();
    o.put("sequence", x.sequence());
    o.put("transport", x.transport());
    if (x.u2f()) {
      o.put("u2f", true);
      if (x.direction() == CtapTap.Direction.REQUEST) {
        o.put("apdu", x.request().base64Url());
      } else {
        o.put("apdu", x.response().base64Url());
      }
    } else if (x.direction() == CtapTap.Direction.REQUEST) {
      o.setAll(CtapJson.request(x.request()));
    } else if (!x.dropped()) {
      o.setAll(CtapJson.response(x.request(), x.response()));
    }
    if (x.direction() == CtapTap.Direction.RESPONSE) {
      o.put("dropped", x.dropped());
      o.put("elapsedMs", x.elapsed().toMillis());
    }
    return o;
  }
}
