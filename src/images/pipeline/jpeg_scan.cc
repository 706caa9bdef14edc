#include "images/pipeline/jpeg_scan.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace nubis::images::pipeline::detail {
namespace {

unsigned byteAt(std::string_view b, size_t i) { return static_cast<unsigned char>(b[i]); }
unsigned be16(std::string_view b, size_t i) { return byteAt(b, i) << 8 | byteAt(b, i + 1); }

uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

bool isSof(unsigned m) {
  // C0..CF except DHT (C4), JPG (C8) and DAC (CC).
  return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

int maxH(const JpegLayout& l) {
  int m = 1;
  for (const auto& c : l.components) m = std::max(m, c.h);
  return m;
}
int maxV(const JpegLayout& l) {
  int m = 1;
  for (const auto& c : l.components) m = std::max(m, c.v);
  return m;
}

// Blocks of one component (its own grid, as a single-component scan codes them).
uint64_t componentBlocks(const JpegLayout& l, const JpegLayout::Component& c) {
  const uint64_t w = ceilDiv(static_cast<uint64_t>(l.width) * c.h, maxH(l));
  const uint64_t h = ceilDiv(static_cast<uint64_t>(l.height) * c.v, maxV(l));
  return ceilDiv(w, 8) * ceilDiv(h, 8);
}

// The fewest bits the entropy-coded data of this scan can take (see jpeg_scan.h).
uint64_t minimumScanBits(const JpegLayout& l, const std::vector<const JpegLayout::Component*>& in,
                         int ss) {
  if (l.arithmetic) return 0;
  uint64_t bits_per_block = 0;
  if (!l.progressive) {
    bits_per_block = 2;
  } else if (ss == 0) {
    bits_per_block = 1;  // DC first: a Huffman code; DC refinement: one raw bit
  } else {
    return 0;  // AC: end-of-band runs may cover thousands of blocks with one code
  }
  uint64_t blocks = 0;
  if (in.size() == 1) {
    blocks = componentBlocks(l, *in[0]);
  } else {
    const uint64_t mcus = ceilDiv(static_cast<uint64_t>(l.width), 8 * maxH(l)) *
                          ceilDiv(static_cast<uint64_t>(l.height), 8 * maxV(l));
    for (const auto* c : in) blocks += mcus * static_cast<uint64_t>(c->h * c->v);
  }
  return blocks * bits_per_block;
}

bool readSof(std::string_view seg, unsigned marker, JpegLayout& l) {
  // seg: the segment after its length field.
  if (seg.size() < 6) return false;
  l.height = static_cast<int>(be16(seg, 1));
  l.width = static_cast<int>(be16(seg, 3));
  const unsigned n = byteAt(seg, 5);
  if (n == 0 || seg.size() < 6 + 3 * size_t{n}) return false;
  l.progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
  l.arithmetic = marker >= 0xC9;
  l.components.clear();
  for (unsigned i = 0; i < n; ++i) {
    JpegLayout::Component c;
    c.id = static_cast<int>(byteAt(seg, 6 + 3 * i));
    c.h = static_cast<int>(byteAt(seg, 7 + 3 * i) >> 4);
    c.v = static_cast<int>(byteAt(seg, 7 + 3 * i) & 15);
    if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4) return false;
    l.components.push_back(c);
  }
  return true;
}

// Counts the entropy-coded bytes from `pos` to the next marker that is not RSTn (restart markers
// and stuffed zero bytes belong to the scan). `pos` ends on that marker's 0xFF, or at the end.
uint64_t skipEntropyData(std::string_view b, size_t& pos) {
  uint64_t data = 0;
  while (pos < b.size()) {
    if (byteAt(b, pos) != 0xFF) {
      // Runs between 0xFF bytes are most of a file: memchr, not a byte loop (5 MB: 6 -> <1 ms).
      const void* ff = std::memchr(b.data() + pos, 0xFF, b.size() - pos);
      const size_t stop =
          ff == nullptr ? b.size()
                        : static_cast<size_t>(static_cast<const char*>(ff) - b.data());
      data += stop - pos;
      pos = stop;
      continue;
    }
    if (pos + 1 >= b.size()) return data;
    const unsigned next = byteAt(b, pos + 1);
    if (next == 0x00) {  // a stuffed 0xFF data byte
      ++data;
      pos += 2;
    } else if (next >= 0xD0 && next <= 0xD7) {  // RSTn
      pos += 2;
    } else if (next == 0xFF) {  // fill byte before a marker
      ++pos;
    } else {
      return data;
    }
  }
  return data;
}

}  // namespace

JpegScanResult scanJpeg(std::string_view b) {
  JpegScanResult r;
  if (b.size() < 2 || byteAt(b, 0) != 0xFF || byteAt(b, 1) != 0xD8) {
    r.why = "JPEG does not start with SOI";
    return r;
  }
  bool have_sof = false;
  size_t pos = 2;
  while (true) {
    // Bytes that are not a marker here are skipped, as libjpeg does (it warns "extraneous bytes
    // before marker", which many cameras' files cause, and decodes them fine).
    while (pos < b.size() && byteAt(b, pos) != 0xFF) ++pos;
    while (pos < b.size() && byteAt(b, pos) == 0xFF) ++pos;
    if (pos >= b.size()) {
      r.verdict = JpegScan::kTruncated;
      r.why = "JPEG data ends before its EOI marker";
      return r;
    }
    const unsigned marker = byteAt(b, pos++);
    if (marker == 0x00) continue;  // FF 00 outside a scan is junk too (libjpeg's next_marker)
    if (marker == 0xD9) break;     // EOI
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length field
    if (pos + 2 > b.size()) {
      r.verdict = JpegScan::kTruncated;
      r.why = "JPEG data ends inside a marker segment";
      return r;
    }
    const unsigned length = be16(b, pos);
    if (length < 2) {
      r.why = "JPEG marker segment has length " + std::to_string(length);
      return r;
    }
    if (pos + length > b.size()) {
      r.verdict = JpegScan::kTruncated;
      r.why = "JPEG data ends inside a marker segment";
      return r;
    }
    const std::string_view seg = b.substr(pos + 2, length - 2);
    pos += length;
    if (isSof(marker)) {
      if (!readSof(seg, marker, r.layout)) {
        r.why = "JPEG frame header (SOF) is not valid";
        return r;
      }
      have_sof = true;
      continue;
    }
    if (marker != 0xDA) continue;  // tables, APPn, COM, ...: nothing to check here

    // SOS: the scan's components, then spectral selection and successive approximation.
    if (!have_sof) {
      r.why = "JPEG scan comes before any frame header";
      return r;
    }
    if (++r.layout.scans > kMaxJpegScans) {
      r.verdict = JpegScan::kTooManyScans;
      r.why = "JPEG has more than " + std::to_string(kMaxJpegScans) + " scans";
      return r;
    }
    const size_t ns = seg.empty() ? 0 : byteAt(seg, 0);
    if (ns == 0 || seg.size() < 1 + 2 * ns + 3) {
      r.why = "JPEG scan header (SOS) is not valid";
      return r;
    }
    std::vector<const JpegLayout::Component*> in;
    for (size_t i = 0; i < ns; ++i) {
      const int id = static_cast<int>(byteAt(seg, 1 + 2 * i));
      auto it = std::find_if(r.layout.components.begin(), r.layout.components.end(),
                             [&](const auto& c) { return c.id == id; });
      if (it == r.layout.components.end()) {
        r.why = "JPEG scan names a component the frame does not have";
        return r;
      }
      in.push_back(&*it);
    }
    const int ss = static_cast<int>(byteAt(seg, 1 + 2 * ns));  // spectral selection start
    const uint64_t have = skipEntropyData(b, pos);
    const uint64_t need_bits = minimumScanBits(r.layout, in, ss);
    if (have * 8 < need_bits) {
      r.verdict = JpegScan::kShortScan;
      r.why = "JPEG scan " + std::to_string(r.layout.scans) + " has " + std::to_string(have) +
              " bytes of data; its " + std::to_string(r.layout.width) + "x" +
              std::to_string(r.layout.height) + " frame needs at least " +
              std::to_string(ceilDiv(need_bits, 8));
      return r;
    }
  }
  if (!have_sof || r.layout.scans == 0) {
    r.why = "JPEG has no image data (no frame header or no scan)";
    return r;
  }
  r.verdict = JpegScan::kOk;
  return r;
}

uint64_t jpegCoefficientBytes(const JpegLayout& l) {
  if (!l.progressive && l.scans <= 1) return 0;
  // libjpeg's jdcoefct.c: per component, width_in_blocks rounded up to h_samp_factor and
  // height_in_blocks to v_samp_factor, 64 JCOEFs (2 bytes) a block.
  uint64_t total = 0;
  for (const auto& c : l.components) {
    const uint64_t bw = ceilDiv(ceilDiv(static_cast<uint64_t>(l.width) * c.h, maxH(l)), 8);
    const uint64_t bh = ceilDiv(ceilDiv(static_cast<uint64_t>(l.height) * c.v, maxV(l)), 8);
    total += ceilDiv(bw, c.h) * c.h * ceilDiv(bh, c.v) * c.v * 64 * 2;
  }
  return total;
}

}  // namespace nubis::images::pipeline::detail
