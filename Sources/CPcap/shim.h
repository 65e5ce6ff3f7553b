// libpcap (Debian's libpcap-dev) for SocketTapeCapture: offline reading of pcap and pcapng,
// live capture with a BPF filter, and writing pcap files.
#include <pcap/pcap.h>
