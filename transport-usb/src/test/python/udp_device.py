"""CTAPHID over UDP for python-fido2 0.9.x: the SoloKeys simulator convention.

The device listens on 127.0.0.1:8111 and sends every input report to
127.0.0.1:7112, one raw 64-byte report (no report ID) per datagram
(solokeys/solo1 pc/device.c: udp_server binds 8111, udp_send sends to
127.0.0.1:7112). This module is the host side: it binds the host port and
talks to the device port.

Written against python-fido2 0.9.1 (Debian 12 python3-fido2):
fido2.hid.base.CtapHidConnection has read_packet/write_packet/close, and
fido2.hid.CtapHidDevice(descriptor, connection) writes report_size_out-byte
packets without a report ID and sends CTAPHID_INIT in its constructor.

    dev = open_device(device_port=8111, host_port=7112)
    dev.ping(b"hello")
"""

import socket

from fido2.hid import CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor

REPORT_SIZE = 64
DEFAULT_HOST = "127.0.0.1"
DEFAULT_DEVICE_PORT = 8111
DEFAULT_HOST_PORT = 7112

# The solo1 simulator's magic "reboot" datagram: a power cycle for softkey.
# Source: solokeys/solo1 tools/ctap_test.py send_magic_reboot() and
# pc/device.c usbhid_recv() (magic_cmd).
REBOOT_PACKET = bytes.fromhex(
    "ac1052ca95e569de69e02ebff333485f13f9b2da34c5a8a340526697a9ab2e0b"
    "394d8d04973c134005be1a0140bff6045bb26eb77a73eaa47813f6b49a7250dc"
)


class UdpConnection(CtapHidConnection):
    """A CtapHidConnection whose reports travel as UDP datagrams.

    :param host: the address of both ends (loopback by default).
    :param device_port: where the device listens (8111).
    :param host_port: where this side listens for input reports (7112).
    :param timeout: seconds to wait for one input report before
        socket.timeout is raised (so a silent device fails a test instead of
        hanging it).
    """

    def __init__(
        self,
        host=DEFAULT_HOST,
        device_port=DEFAULT_DEVICE_PORT,
        host_port=DEFAULT_HOST_PORT,
        timeout=10.0,
    ):
        self.device_address = (host, device_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.bind((host, host_port))
        except OSError:
            self.sock.close()
            raise
        self.sock.settimeout(timeout)

    def write_packet(self, data):
        if len(data) != REPORT_SIZE:
            raise ValueError("a report is %d bytes, not %d" % (REPORT_SIZE, len(data)))
        self.sock.sendto(bytes(data), self.device_address)

    def read_packet(self):
        while True:
            data, _ = self.sock.recvfrom(2048)
            if len(data) == REPORT_SIZE:
                return data
            # Not a report: ignore it, as the device side does.

    def send_reboot(self):
        """Sends the magic reboot datagram (a power cycle of the device)."""
        self.sock.sendto(REBOOT_PACKET, self.device_address)

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def descriptor(host=DEFAULT_HOST, device_port=DEFAULT_DEVICE_PORT):
    """A HidDescriptor for the UDP device (vid/pid are not known over UDP: 0)."""
    return HidDescriptor(
        "udp:%s:%d" % (host, device_port), 0, 0, REPORT_SIZE, REPORT_SIZE
    )


def open_device(
    host=DEFAULT_HOST,
    device_port=DEFAULT_DEVICE_PORT,
    host_port=DEFAULT_HOST_PORT,
    timeout=10.0,
):
    """Opens the device: binds the host port and runs CTAPHID_INIT."""
    connection = UdpConnection(host, device_port, host_port, timeout)
    try:
        return CtapHidDevice(descriptor(host, device_port), connection)
    except Exception:
        connection.close()
        raise
