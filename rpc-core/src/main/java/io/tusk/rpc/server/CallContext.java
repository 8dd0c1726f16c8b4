package io.tusk.rpc.server;

import com.google.protobuf.ByteString;
import io.tusk.rpc.RpcKind;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCCallerContextProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RPCTraceInfoProto;
import io.tusk.rpc.proto.RpcHeaderProtos.RpcRequestHeaderProto;
import io.tusk.rpc.security.AuthMethod;
import io.tusk.rpc.security.GroupMapping;
import io.tusk.rpc.security.UserIdentity;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Everything known about one call: who is calling (user, real user, how they authenticated; all
 * three as one {@link UserIdentity} through {@link #userIdentity()}), from
 * where, on which connection and engine, and what the request header carried besides the call id
 * (caller context, trace info, state id). {@link Server#getCurrentCall()} returns it while the call
 * runs; interceptors see it through {@link io.tusk.rpc.intercept.ServerCall#context()}.
 *
 * <p>It is the one object a call carries: the reader thread that parses the request header makes it
 * ({@link #fromHeader}) and nothing copies it later. The caller context and trace info are the
 * parsed header's own sub-messages (not re-encoded), {@code null} when the header has none; the
 * client id is kept as the header's bytes and copied only when {@link #clientId()} is asked.
 * Immutable and safe to read from any thread.
 *
 * <p>Tests and a later issue that fills more fields (a propagated deadline) build one with
 * {@link #builder()} or {@link #toBuilder()}.
 */
public final class CallContext {
  /** {@link #deadlineNanos()} of a call without a deadline. */
  public static final long NO_DEADLINE = -1;

  private final int callId;
  private final int retryCount;
  private final ByteString clientId;
  private final RpcKind rpcKind;
  private final String protocol;
  private final String user;
  private final String realUser;
  private final AuthMethod authMethod;
  private final InetSocketAddress remoteAddress;
  private final long receivedNanos;
  private final long deadlineNanos;
  private final RPCCallerContextProto callerContext;
  private final RPCTraceInfoProto traceInfo;
  private final boolean hasStateId;
  private final long stateId;
  private final GroupMapping groupMapping;

  /**
   * The constructor of the former record, kept so that code and tests that build a context keep
   * compiling: SIMPLE authentication, no deadline, caller context, trace info or state id.
   *
   * @param clientId the client's 16-byte id (copied)
   */
  public CallContext(int callId, int retryCount, byte[] clientId, RpcKind rpcKind,
      String protocol, String user, String realUser, InetSocketAddress remoteAddress,
      long receivedNanos) {
    this(builder().callId(callId).retryCount(retryCount).clientId(clientId).rpcKind(rpcKind)
        .protocol(protocol).user(user).realUser(realUser).remoteAddress(remoteAddress)
        .receivedNanos(receivedNanos));
  }

  private CallContext(Builder b) {
    this(b.callId, b.retryCount, b.clientId, b.rpcKind, b.protocol, b.user, b.realUser,
        b.authMethod, b.remoteAddress, b.receivedNanos, b.deadlineNanos, b.callerContext,
        b.traceInfo, b.hasStateId, b.stateId, b.groupMapping);
  }

  private CallContext(int callId, int retryCount, ByteString clientId, RpcKind rpcKind,
      String protocol, String user, String realUser, AuthMethod authMethod,
      InetSocketAddress remoteAddress, long receivedNanos, long deadlineNanos,
      RPCCallerContextProto callerContext, RPCTraceInfoProto traceInfo, boolean hasStateId,
      long stateId, GroupMapping groupMapping) {
    this.callId = callId;
    this.retryCount = retryCount;
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.rpcKind = Objects.requireNonNull(rpcKind, "rpcKind");
    this.protocol = protocol;
    this.user = user;
    this.realUser = realUser;
    this.authMethod = Objects.requireNonNull(authMethod, "authMethod");
    this.remoteAddress = remoteAddress;
    this.receivedNanos = receivedNanos;
    this.deadlineNanos = deadlineNanos;
    this.callerContext = callerContext;
    this.traceInfo = traceInfo;
    this.hasStateId = hasStateId;
    this.stateId = stateId;
    this.groupMapping = groupMapping;
  }

  /**
   * The context of a call whose request header the server parsed: call id, retry count, client
   * id, caller context, trace info and state id come from {@code header} (nothing is copied), the
   * rest from the connection. Called by the reader thread once per call.
   *
   * @param kind the engine kind the call is for
   * @param protocol the protocol named in the connection context (may be null)
   * @param user the effective user of the connection (may be null)
   * @param realUser the real user when the effective user is a proxy (may be null)
   * @param authMethod how the connection authenticated
   * @param remote the client's address
   * @param receivedNanos the server's ticker when the request was read
   */
  public static CallContext fromHeader(RpcRequestHeaderProto header, RpcKind kind,
      String protocol, String user, String realUser, AuthMethod authMethod,
      InetSocketAddress remote, long receivedNanos) {
    return fromHeader(header, kind, protocol, user, realUser, authMethod, remote, receivedNanos,
        null);
  }

  /**
   * As {@link #fromHeader(RpcRequestHeaderProto, RpcKind, String, String, String, AuthMethod,
   * InetSocketAddress, long)}, with the group mapping {@link #userIdentity()} resolves groups
   * through (the server's; null: {@link UserIdentity}'s default).
   */
  public static CallContext fromHeader(RpcRequestHeaderProto header, RpcKind kind,
      String protocol, String user, String realUser, AuthMethod authMethod,
      InetSocketAddress remote, long receivedNanos, GroupMapping groups) {
    return new CallContext(header.getCallId(), header.getRetryCount(), header.getClientId(), kind,
        protocol, user, realUser, authMethod, remote, receivedNanos, NO_DEADLINE,
        header.hasCallerContext() ? header.getCallerContext() : null,
        header.hasTraceInfo() ? header.getTraceInfo() : null,
        header.hasStateId(), header.getStateId(), groups);
  }

  /** A builder with SIMPLE authentication, retry count -1, an empty client id, no deadline. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this context's values (e.g. to add a deadline). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.callId = callId;
    b.retryCount = retryCount;
    b.clientId = clientId;
    b.rpcKind = rpcKind;
    b.protocol = protocol;
    b.user = user;
    b.realUser = realUser;
    b.authMethod = authMethod;
    b.remoteAddress = remoteAddress;
    b.receivedNanos = receivedNanos;
    b.deadlineNanos = deadlineNanos;
    b.callerContext = callerContext;
    b.traceInfo = traceInfo;
    b.hasStateId = hasStateId;
    b.stateId = stateId;
    b.groupMapping = groupMapping;
    return b;
  }

  /** The client's call id. */
  public int callId() {
    return callId;
  }

  /**
   * The client's retry count: 0 for a first attempt, as Hadoop's client sends it; -1 from clients
   * that leave the field unset.
   */
  public int retryCount() {
    return retryCount;
  }

  /** A copy of the client's 16-byte id (empty when the header had none). */
  public byte[] clientId() {
    return clientId.toByteArray();
  }

  /** The client's id as the header carried it (immutable, no copy). */
  public ByteString clientIdBytes() {
    return clientId;
  }

  /** The engine kind of the request. */
  public RpcKind rpcKind() {
    return rpcKind;
  }

  /** The protocol named in the connection context (may be null). */
  public String protocol() {
    return protocol;
  }

  /** The effective user from the connection context (may be null). */
  public String user() {
    return user;
  }

  /** The real user when the effective user is a proxy (may be null). */
  public String realUser() {
    return realUser;
  }

  /**
   * The caller as an identity, or {@code null} when the connection context named no user: the
   * effective user, and when the context named a real user (the server's
   * {@code hadoop.proxyuser.*} rules allowed it, or the connection would not be set up), a
   * {@link AuthMethod#PROXY} identity via that real user, which carries {@link #authMethod()}.
   * Its {@code toString()} is Hadoop's {@code UserGroupInformation} form:
   * {@code alice (auth:SIMPLE)}, {@code alice (auth:PROXY) via root (auth:SIMPLE)}. Groups come
   * from the server's {@link GroupMapping} (the one its proxy-user rules read), asked only when
   * read. Built on each call of this method (cheap: no lookup happens).
   */
  public UserIdentity userIdentity() {
    if (user == null || user.isEmpty()) {
      return null;
    }
    if (realUser == null || realUser.isEmpty()) {
      return UserIdentity.createRemoteUser(user, groupMapping);
    }
    return UserIdentity.createProxyUser(user,
        UserIdentity.createRemoteUser(realUser, groupMapping), groupMapping);
  }

  /** How the connection authenticated its user; {@link AuthMethod#SIMPLE} until security lands. */
  public AuthMethod authMethod() {
    return authMethod;
  }

  /** The client's address. */
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** The server's {@link io.tusk.rpc.Ticker} reading when the request was read. */
  public long receivedNanos() {
    return receivedNanos;
  }

  /** Whether the call has a deadline; see {@link #deadlineNanos()}. */
  public boolean hasDeadline() {
    return deadlineNanos != NO_DEADLINE;
  }

  /**
   * When the caller stops waiting, on the same clock as {@link #receivedNanos()}, or
   * {@link #NO_DEADLINE}. Hadoop's request header carries no deadline, so calls that arrive over
   * the wire have none today; the field is here so that deadline propagation (a later issue: an
   * extension header field, or an interceptor that derives one) fills it without changing this
   * type's shape.
   */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  /** The caller context of the request header (Hadoop's audit-log context), or {@code null}. */
  public RPCCallerContextProto callerContext() {
    return callerContext;
  }

  /** The trace info of the request header (trace id, parent id, span context), or {@code null}. */
  public RPCTraceInfoProto traceInfo() {
    return traceInfo;
  }

  /** Whether the request header carried a state id (Hadoop's AlignmentContext). */
  public boolean hasStateId() {
    return hasStateId;
  }

  /** The request header's state id; 0 when {@link #hasStateId()} is false. */
  public long stateId() {
    return stateId;
  }

  /**
   * Reserved for deferred responses: the handler returns and the answer comes later.
   *
   * @throws UnsupportedOperationException always, until the async issue (issue 15)
   */
  public Object defer() {
    throw new UnsupportedOperationException("deferred responses arrive with issue 15");
  }

  @Override
  public String toString() {
    return "CallContext[callId=" + callId + ", retryCount=" + retryCount + ", rpcKind=" + rpcKind
        + ", protocol=" + protocol + ", user=" + user + ", realUser=" + realUser + ", auth="
        + authMethod + ", remote=" + remoteAddress + (hasStateId ? ", stateId=" + stateId : "")
        + (callerContext != null ? ", callerContext=" + callerContext.getContext() : "")
        + (traceInfo != null ? ", traceId=" + traceInfo.getTraceId() : "") + "]";
  }

  /** Builds a {@link CallContext}; for tests and for code that derives one context from another. */
  public static final class Builder {
    private int callId;
    private int retryCount = -1;
    private ByteString clientId = ByteString.EMPTY;
    private RpcKind rpcKind;
    private String protocol;
    private String user;
    private String realUser;
    private AuthMethod authMethod = AuthMethod.SIMPLE;
    private InetSocketAddress remoteAddress;
    private long receivedNanos;
    private long deadlineNanos = NO_DEADLINE;
    private RPCCallerContextProto callerContext;
    private RPCTraceInfoProto traceInfo;
    private boolean hasStateId;
    private long stateId;
    private GroupMapping groupMapping;

    private Builder() {}

    /** The mapping {@link CallContext#userIdentity()} resolves groups through (null: default). */
    public Builder groupMapping(GroupMapping groupMapping) {
      this.groupMapping = groupMapping;
      return this;
    }

    public Builder callId(int callId) {
      this.callId = callId;
      return this;
    }

    public Builder retryCount(int retryCount) {
      this.retryCount = retryCount;
      return this;
    }

    /** The client id (copied). */
    public Builder clientId(byte[] clientId) {
      this.clientId = ByteString.copyFrom(clientId);
      return this;
    }

    public Builder rpcKind(RpcKind rpcKind) {
      this.rpcKind = rpcKind;
      return this;
    }

    public Builder protocol(String protocol) {
      this.protocol = protocol;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder realUser(String realUser) {
      this.realUser = realUser;
      return this;
    }

    public Builder authMethod(AuthMethod authMethod) {
      this.authMethod = authMethod;
      return this;
    }

    public Builder remoteAddress(InetSocketAddress remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    public Builder receivedNanos(long receivedNanos) {
      this.receivedNanos = receivedNanos;
      return this;
    }

    /** The deadline on the receivedNanos clock, or {@link #NO_DEADLINE}. */
    public Builder deadlineNanos(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
      return this;
    }

    public Builder callerContext(RPCCallerContextProto callerContext) {
      this.callerContext = callerContext;
      return this;
    }

    public Builder traceInfo(RPCTraceInfoProto traceInfo) {
      this.traceInfo = traceInfo;
      return this;
    }

    public Builder stateId(long stateId) {
      this.hasStateId = true;
      this.stateId = stateId;
      return this;
    }

    /** @throws NullPointerException when the kind is not set */
    public CallContext build() {
      return new CallContext(this);
    }
  }
}
