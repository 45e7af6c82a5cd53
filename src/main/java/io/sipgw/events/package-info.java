/**
 * The event WebSocket (spec section 5) and the only code that sends on sockets. {@code EventsSocket} is
 * /ws/events: it checks the token on the handshake, answers PING and hands other client frames to the
 * capabilities as {@code ClientFrameReceived}. {@code EventBroadcaster} observes every
 * {@code UserNotification} and {@code Broadcast} the capabilities fire, after their transaction commits,
 * frames them ({@code EventFrame}) and gives them to {@code SocketRegistry}, which holds this instance's
 * open sockets by user and sends asynchronously, closing a socket whose client stopped reading. Logout
 * ({@code LoggedOut}) closes the sockets opened with the token given up. In a cluster
 * ({@code io.sipgw.cluster}) {@code EventBroadcaster} also publishes each framed event to the other members,
 * which deliver it to their own sockets only. {@code UpgradeGuard} wraps the container's handshake on
 * /ws/*, so that a handshake failing inside Tyrus is answered in the envelope or dropped, never left to
 * the container's error handling.
 */
package io.sipgw.events;
