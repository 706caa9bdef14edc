#include "images/delivery_errors.h"

namespace nubis::images {

const DeliveryErrorSpec& spec(DeliveryErr e) {
  static const DeliveryErrorSpec kTable[] = {
#define NUBIS_DELIVERY_ROW(name, status, code, msg) {status, code, msg},
      NUBIS_DELIVERY_ERRORS(NUBIS_DELIVERY_ROW)
#undef NUBIS_DELIVERY_ROW
  };
  return kTable[static_cast<int>(e)];
}

}  // namespace nubis::images
