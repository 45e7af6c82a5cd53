package io.sipgw.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error codes a REST operation answers besides those that follow from its other annotations (a token
 * error for a protected operation, FORBIDDEN for a role it lacks, VALIDATION_ERROR and
 * UNSUPPORTED_MEDIA_TYPE for a JSON body, SERVER_ERROR for anything). The OpenAPI document lists them
 * under their HTTP status ({@link ErrorCode#httpStatus()}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ErrorCodes {
    ErrorCode[] value();
}
