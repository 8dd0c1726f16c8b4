/**
 * Interceptor chains around every call: {@link io.tusk.rpc.intercept.ServerInterceptor} on the
 * server's handler threads and {@link io.tusk.rpc.intercept.ClientInterceptor} around
 * {@code Client.call}/{@code callAsync}, in the shape of OkHttp's chain and gRPC's interceptors.
 * Verbose logging ({@link io.tusk.rpc.intercept.VerboseLogging}) is one; authorization, tracing,
 * retries and deadlines of later issues plug in here. Metrics and the slow-call log are not
 * interceptors but the server's completion listener, because the response-write time they record
 * is known only after the chain has returned ({@link io.tusk.rpc.intercept.CallTimings}).
 */
package io.tusk.rpc.intercept;
