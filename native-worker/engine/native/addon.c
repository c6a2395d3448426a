// The N-API functions of the native kernels. The workspace calls (gemm,
// tanh, recur, transpose) work on a Workspace's WebAssembly memory, passed
// with every call, by byte offsets into it: their int32 arguments sit in an
// argument block in that memory (kernels.h numbers them), which keeps each
// call to two arguments. Each has a float32 twin (gemm32, …), the same
// function registered with a non-null data pointer. sums and sgd take
// Float64Arrays, sums32 and sgd32 Float32Array weights, saturated either;
// version, avx2 and vector describe the build.

#include <node_api.h>
#include "kernels.h"

/** The data pointer of the float32 twins (any non-null pointer). */
static int single32;

/**
 * Every entry point is called as f(memory, args): memory a Workspace's
 * ArrayBuffer, args the byte offset in it of the call's int32 arguments.
 * Sets *base to the memory and *single to 1 for a float32 twin, and returns
 * the arguments; NULL after throwing.
 */
static const int32_t *callArgs(napi_env env, napi_callback_info info, uint8_t **base, int *single) {
  size_t argc = 2;
  napi_value argv[2];
  void *data, *twin;
  size_t length;
  int32_t at;
  napi_get_cb_info(env, info, &argc, argv, NULL, &twin);
  *single = twin != NULL;
  if (argc < 2 || napi_get_arraybuffer_info(env, argv[0], &data, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected the workspace's ArrayBuffer");
    return NULL;
  }
  napi_get_value_int32(env, argv[1], &at);
  *base = (uint8_t *)data;
  return (const int32_t *)(*base + at);
}

/** gemm(memory, args): enum GemmArg's arguments as int32 at byte offset args of that ArrayBuffer. */
static napi_value Gemm(napi_env env, napi_callback_info info) {
  uint8_t *base;
  int single;
  const int32_t *p = callArgs(env, info, &base, &single);
  if (!p) return NULL;
  size_t a = (uint32_t)p[GEMM_A], ar = (uint32_t)p[GEMM_A_ROW_BYTES], ak = (uint32_t)p[GEMM_A_K_BYTES], b = (uint32_t)p[GEMM_B], c = (uint32_t)p[GEMM_C];
  if (!gemm(single, base, p[GEMM_M], p[GEMM_N], p[GEMM_K], a, ar, ak, b, p[GEMM_LDB], c, p[GEMM_LDC], p[GEMM_ACCUMULATE])) {
    napi_throw_error(env, NULL, "gemm: out of memory for its pack buffers");
  }
  return NULL;
}

/** tanh(memory, args): enum TanhArg's byte offset and count as int32 at byte offset args of that ArrayBuffer. */
static napi_value Tanh(napi_env env, napi_callback_info info) {
  uint8_t *base;
  int single;
  const int32_t *p = callArgs(env, info, &base, &single);
  if (!p) return NULL;
  if (single) tanhInPlace32((float *)(base + (uint32_t)p[TANH_AT]), p[TANH_COUNT]);
  else tanhInPlace((double *)(base + (uint32_t)p[TANH_AT]), p[TANH_COUNT]);
  return NULL;
}

/** recur(memory, args): enum RecurArg's arguments as int32 at byte offset args (see Recur in kernels.h and recur.c). */
static napi_value RecurFn(napi_env env, napi_callback_info info) {
  uint8_t *base;
  int single;
  const int32_t *p = callArgs(env, info, &base, &single);
  if (!p) return NULL;
  int d = p[RECUR_D];
  Recur r = {
    .base = base,
    .single = single,
    .mode = p[RECUR_MODE],
    .T = p[RECUR_T],
    .B = p[RECUR_B],
    .d = d,
    .trunc = p[RECUR_TRUNCATION],
    .act = p[RECUR_ACTIVATION],
    .s = (uint32_t)p[RECUR_S],
    .dz = (uint32_t)p[RECUR_DZ],
    .w = (uint32_t)p[RECUR_W],
    .pm = NULL,
  };
  if (r.act < ACT_TANH || r.act > ACT_IDENTITY) napi_throw_range_error(env, NULL, "recur: unknown activation");
  else if (r.T > 0 && r.B > 0 && d > 0 && !recur(&r)) napi_throw_error(env, NULL, "recur: out of memory for its pack buffers");
  return NULL;
}

/** transpose(memory, args): enum TransposeArg's arguments (byte offsets b and out) as int32 at byte offset args. */
static napi_value Transpose(napi_env env, napi_callback_info info) {
  uint8_t *base;
  int single;
  const int32_t *p = callArgs(env, info, &base, &single);
  if (!p) return NULL;
  uint8_t *B = base + (uint32_t)p[TRANSPOSE_B], *out = base + (uint32_t)p[TRANSPOSE_OUT];
  if (single) transposeBlocked32(p[TRANSPOSE_ROWS], p[TRANSPOSE_COLS], (const float *)B, (size_t)p[TRANSPOSE_LDB], (float *)out);
  else transposeBlocked(p[TRANSPOSE_ROWS], p[TRANSPOSE_COLS], (const double *)B, (size_t)p[TRANSPOSE_LDB], (double *)out);
  return NULL;
}

/** A typed array argument's data and length when it is of the given type; NULL after throwing when it is not. */
static void *typedArg(napi_env env, napi_value v, napi_typedarray_type want, size_t *length) {
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) != napi_ok || type != want) {
    napi_throw_type_error(env, NULL, want == napi_float32_array ? "expected Float32Array weights" : "expected Float64Arrays");
    return NULL;
  }
  return data;
}

/** sgd(p, g, lr): p −= lr·g over the whole of two Float64Arrays of one length; sgd32 with p a Float32Array. */
static napi_value Sgd(napi_env env, napi_callback_info info) {
  size_t argc = 3, np, ng;
  napi_value argv[3];
  double lr;
  void *twin;
  napi_get_cb_info(env, info, &argc, argv, NULL, &twin);
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "sgd: expected 3 arguments");
    return NULL;
  }
  void *p = typedArg(env, argv[0], twin ? napi_float32_array : napi_float64_array, &np);
  double *g = p ? typedArg(env, argv[1], napi_float64_array, &ng) : NULL;
  if (!g) return NULL;
  if (np != ng || napi_get_value_double(env, argv[2], &lr) != napi_ok) {
    napi_throw_range_error(env, NULL, "sgd: expected two arrays of one length and a learning rate");
    return NULL;
  }
  if (twin) sgdStep32(p, g, lr, np);
  else sgdStep(p, g, lr, np);
  return NULL;
}

/** sums(g, p, q, from, to, out, at): out[at..at+3] = sums4 over [from, to) of g, p, q (any Float64Arrays); sums32 with p, q Float32Arrays. */
static napi_value Sums(napi_env env, napi_callback_info info) {
  size_t argc = 7, ng, np, nq, no;
  napi_value argv[7];
  int32_t from, to, at;
  void *twin;
  napi_get_cb_info(env, info, &argc, argv, NULL, &twin);
  if (argc < 7) {
    napi_throw_type_error(env, NULL, "sums: expected 7 arguments");
    return NULL;
  }
  napi_typedarray_type weights = twin ? napi_float32_array : napi_float64_array;
  double *g = typedArg(env, argv[0], napi_float64_array, &ng);
  void *p = g ? typedArg(env, argv[1], weights, &np) : NULL, *q = p ? typedArg(env, argv[2], weights, &nq) : NULL;
  double *out = q ? typedArg(env, argv[5], napi_float64_array, &no) : NULL;
  if (!out) return NULL;
  napi_get_value_int32(env, argv[3], &from);
  napi_get_value_int32(env, argv[4], &to);
  napi_get_value_int32(env, argv[6], &at);
  if (from < 0 || to < from || (size_t)to > ng || (size_t)to > np || (size_t)to > nq || at < 0 || (size_t)at + 4 > no) {
    napi_throw_range_error(env, NULL, "sums: range outside the arrays");
    return NULL;
  }
  if (twin) sums4f(g + from, (const float *)p + from, (const float *)q + from, (size_t)(to - from), out + at);
  else sums4(g + from, (const double *)p + from, (const double *)q + from, (size_t)(to - from), out + at);
  return NULL;
}

/** saturated(a, from, length, threshold): how many of a[from, from + length) have |v| > threshold, −1 when one is NaN (a Float64Array or Float32Array). */
static napi_value Saturated(napi_env env, napi_callback_info info) {
  size_t argc = 4, n;
  napi_value argv[4], out;
  napi_typedarray_type type;
  void *data;
  int32_t from, length;
  double threshold;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4 || napi_get_typedarray_info(env, argv[0], &type, &n, &data, NULL, NULL) != napi_ok ||
      (type != napi_float64_array && type != napi_float32_array)) {
    napi_throw_type_error(env, NULL, "saturated: expected a Float64Array or Float32Array");
    return NULL;
  }
  napi_get_value_int32(env, argv[1], &from);
  napi_get_value_int32(env, argv[2], &length);
  napi_get_value_double(env, argv[3], &threshold);
  if (from < 0 || length < 0 || (size_t)from + (size_t)length > n) {
    napi_throw_range_error(env, NULL, "saturated: range outside the array");
    return NULL;
  }
  long count = type == napi_float32_array ? saturated32((const float *)data + from, (size_t)length, threshold)
                                          : saturated64((const double *)data + from, (size_t)length, threshold);
  napi_create_double(env, (double)count, &out);
  return out;
}

/** The interface version: NATIVE_VERSION in ../fast/native.ts. */
static napi_value Version(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_create_int32(env, INTERFACE_VERSION, &out);
  return out;
}

/** True when this CPU (and its OS) can run the AVX2 + FMA build, whatever this build was compiled for. */
static napi_value Avx2(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  int yes = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  int yes = 0;
#endif
  napi_get_boolean(env, yes, &out);
  return out;
}

static napi_value Vector(napi_env env, napi_callback_info info) {
  napi_value out;
  (void)info;
  napi_get_boolean(env, VECTOR, &out);
  return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  static const struct { const char *name; napi_callback fn; void *data; } api[] = {
    { "gemm", Gemm, NULL }, { "tanh", Tanh, NULL }, { "recur", RecurFn, NULL }, { "transpose", Transpose, NULL },
    { "sgd", Sgd, NULL }, { "sums", Sums, NULL }, { "gemm32", Gemm, &single32 }, { "tanh32", Tanh, &single32 },
    { "recur32", RecurFn, &single32 }, { "transpose32", Transpose, &single32 }, { "sgd32", Sgd, &single32 },
    { "sums32", Sums, &single32 }, { "saturated", Saturated, NULL }, { "version", Version, NULL }, { "avx2", Avx2, NULL }, { "vector", Vector, NULL },
  };
  napi_property_descriptor props[sizeof api / sizeof api[0]];
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++) {
    props[i] = (napi_property_descriptor){ api[i].name, NULL, api[i].fn, NULL, NULL, NULL, napi_enumerable, api[i].data };
  }
  napi_define_properties(env, exports, sizeof api / sizeof api[0], props);
  return exports;
}
