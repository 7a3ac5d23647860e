package dev.spor.admin;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A feature's part of the site owner's API. The API servlet authenticates the call, then asks
 * each feature's endpoints in turn; the first that recognises the path answers.
 */
public interface ApiEndpoints {
    /**
     * Answers the call when its path is one of this feature's.
     *
     * @return false when the path is not this feature's (the next is asked)
     * @throws ApiException for bad input, a missing resource or a wrong method
     */
    boolean handle(ApiRequest request, HttpServletResponse response) throws IOException, ApiException;
}
