package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import java.util.Locale;
import java.util.Map;

/**
 * What a call carries (spec 4.1): AUDIO, or VIDEO (audio and video). An outgoing call's type is what the
 * client asked for, checked against its offer; an incoming call's type is read from the offer in the
 * INVITE. The type stays what was offered even when the answer declines the video.
 */
public enum CallType {
    AUDIO,
    VIDEO;

    /** The {@code type} of POST /calls: absent means AUDIO; anything but AUDIO or VIDEO is VALIDATION_ERROR. */
    public static CallType parse(String type) {
        if (type == null || type.isBlank()) {
            return AUDIO;
        }
        try {
            return valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("type", "must be AUDIO or VIDEO");
        }
    }

    /** The type of a call offered with this SDP (already checked by {@link Sdp#requireAudio}). */
    public static CallType offeredIn(String sdp) {
        return Sdp.hasVideo(sdp) ? VIDEO : AUDIO;
    }

    /**
     * Checks that the offer fits the requested type: a VIDEO call needs an active video m-line beside the
     * audio one (VALIDATION_ERROR naming {@code type} otherwise); an AUDIO call may carry any further media
     * lines, as before.
     */
    public void requireIn(String sdp) {
        if (this == VIDEO && !Sdp.hasVideo(sdp)) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.VIDEO_OFFER_WITHOUT_VIDEO.text(),
                    Map.of("type", "VIDEO needs an SDP offer with an active video m-line (port not 0) besides the audio one"));
        }
    }
}
