// setQuickAck(fd): TCP_QUICKACK on a connected TCP socket's descriptor (Linux). The option is not sticky: the kernel
// may leave quick-ack mode after it acknowledges, so the caller sets it again after each read. Returns whether it
// took (false where the system has no such option, or the descriptor is not a TCP socket).
#include <node_api.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static napi_value set_quick_ack(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  int32_t fd = -1;
  int ok = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 1 && napi_get_value_int32(env, argv[0], &fd) == napi_ok && fd >= 0) {
#ifdef TCP_QUICKACK
    int one = 1;
    ok = setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one) == 0;
#endif
  }
  napi_get_boolean(env, ok, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "setQuickAck", NAPI_AUTO_LENGTH, set_quick_ack, NULL, &fn);
  napi_set_named_property(env, exports, "setQuickAck", fn);
  return exports;
}
