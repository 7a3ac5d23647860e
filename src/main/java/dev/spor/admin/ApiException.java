package dev.spor.admin;

/**
 * A request the API cannot serve as asked: its status (400 bad parameter, 404 not found or not
 * yours, 405, 409, 413) and a short reason for the client. Never carries a stack trace out.
 */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** 400 with a reason. */
    public static ApiException bad(String reason) {
        return new ApiException(400, reason);
    }

    /** 404 with a reason. */
    public static ApiException notFound(String reason) {
        return new ApiException(404, reason);
    }

    public int status() {
        return status;
    }
}
