package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.sip.SipInput;
import java.util.Map;
import java.util.Vector;
import javax.sdp.Media;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * Checks SDP from a browser before it goes into SIP: it must parse as SDP (RFC 4566, with JAIN-SIP's
 * javax.sdp parser), keep its line structure ({@link SipInput#sdpLinesProblem}: every line
 * {@code <type>=<value>}, no control character such as a bare CR or a NUL inside a line) and offer or
 * accept audio. Further media lines (video) are fine: {@link #hasVideo} tells whether one is active.
 */
public final class Sdp {

    /** Larger SDP is refused; WebRTC audio offers are a few kilobytes, audio and video ones up to about eight. */
    public static final int MAX_LENGTH = 32 * 1024;

    private Sdp() {
    }

    /**
     * Returns the SDP normalised to CRLF line ends.
     *
     * @throws ApiException INVALID_SDP with the reason in {@code details.sdp}
     */
    public static String requireAudio(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw invalid("SDP is required");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw invalid("SDP is longer than " + MAX_LENGTH + " characters");
        }
        String normalised = sdp.replace("\r\n", "\n").replace("\n", "\r\n");
        if (!normalised.endsWith("\r\n")) {
            normalised += "\r\n";
        }
        while (normalised.endsWith("\r\n\r\n")) {
            normalised = normalised.substring(0, normalised.length() - 2); // trailing empty lines say nothing
        }
        if (!normalised.startsWith("v=0")) {
            throw invalid("SDP must start with v=0");
        }
        String lines = SipInput.sdpLinesProblem(normalised);
        if (lines != null) {
            throw invalid(lines);
        }
        SessionDescription description;
        try {
            description = SdpFactory.getInstance().createSessionDescription(normalised);
        } catch (SdpException | RuntimeException e) {
            throw invalid("not parsable SDP: " + e.getMessage());
        }
        try {
            if (description.getOrigin() == null) {
                throw invalid("SDP has no o= line");
            }
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> media = description.getMediaDescriptions(false);
            if (media == null || media.isEmpty()) {
                throw invalid("SDP has no m= line");
            }
            for (MediaDescription m : media) {
                Media line = m.getMedia();
                if (line != null && "audio".equalsIgnoreCase(line.getMediaType()) && line.getMediaPort() >= 0) {
                    return normalised;
                }
            }
            throw invalid("SDP has no audio m= line");
        } catch (SdpException e) {
            throw invalid("not parsable SDP: " + e.getMessage());
        }
    }

    /**
     * Whether SDP that passed {@link #requireAudio} has an active video m-line: {@code m=video} with a port
     * other than 0 (0 is a declined stream, RFC 3264 6).
     */
    public static boolean hasVideo(String sdp) {
        try {
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> media = SdpFactory.getInstance().createSessionDescription(sdp).getMediaDescriptions(false);
            if (media == null) {
                return false;
            }
            for (MediaDescription m : media) {
                Media line = m.getMedia();
                if (line != null && "video".equalsIgnoreCase(line.getMediaType()) && line.getMediaPort() > 0) {
                    return true;
                }
            }
            return false;
        } catch (SdpException | RuntimeException e) {
            return false;
        }
    }

    private static ApiException invalid(String reason) {
        return new ApiException(ErrorCode.INVALID_SDP, UserText.SDP_MALFORMED.text(), Map.of("sdp", reason));
    }
}
