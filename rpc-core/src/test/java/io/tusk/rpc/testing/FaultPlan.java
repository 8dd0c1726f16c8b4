package io.tusk.rpc.testing;

import java.util.Objects;

/**
 * What a {@link FaultInjectingProxy} does to one proxied connection: one {@link Fault} for the
 * bytes the client sends, one for the bytes the server sends. A {@link Fault.Kind#RESET RESET} or
 * {@link Fault.Kind#TRUNCATE TRUNCATE} in either direction ends the whole connection. Immutable.
 *
 * @param clientToServer what happens to the requests
 * @param serverToClient what happens to the responses
 */
public record FaultPlan(Fault clientToServer, Fault serverToClient) {
  private static final FaultPlan PASS = new FaultPlan(Fault.pass(), Fault.pass());

  public FaultPlan {
    Objects.requireNonNull(clientToServer, "clientToServer");
    Objects.requireNonNull(serverToClient, "serverToClient");
  }

  /** Both directions pass untouched. */
  public static FaultPlan pass() {
    return PASS;
  }

  /** {@code fault} on the requests, responses untouched. */
  public static FaultPlan requests(Fault fault) {
    return new FaultPlan(fault, Fault.pass());
  }

  /** {@code fault} on the responses, requests untouched. */
  public static FaultPlan responses(Fault fault) {
    return new FaultPlan(Fault.pass(), fault);
  }

  /** The same fault in both directions (each direction counts its own bytes). */
  public static FaultPlan both(Fault fault) {
    return new FaultPlan(fault, fault);
  }

  /** The fault for {@code direction}. */
  public Fault fault(FaultInjectingProxy.Direction direction) {
    return direction == FaultInjectingProxy.Direction.CLIENT_TO_SERVER
        ? clientToServer : serverToClient;
  }

  @Override
  public String toString() {
    return "requests: " + clientToServer + ", responses: " + serverToClient;
  }
}
