package dev.pulse.websecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

class BearerTokenFilterTest {
  private static final String TOKEN = "s3cret-token";

  /** Who the chain saw as authenticated (null: nobody), and the INVALID attribute. */
  record Seen(String principal, Object invalid) {}

  private static Seen run(BearerTokenFilter filter, MockHttpServletRequest request) throws Exception {
    AtomicReference<Authentication> seen = new AtomicReference<>();
    MockFilterChain chain = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
        seen.set(SecurityContextHolder.getContext().getAuthentication());
      }
    });
    filter.doFilter(request, new MockHttpServletResponse(), chain);
    // The context does not outlive the request (threads are pooled).
    assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
    return new Seen(seen.get() == null ? null : seen.get().getName(), request.getAttribute(BearerTokenFilter.INVALID));
  }

  private static MockHttpServletRequest withHeader(String value) {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", "/api/x");
    if (value != null) {
      r.addHeader("Authorization", value);
    }
    return r;
  }

  @Test
  void theRightTokenAuthenticatesAsThePrincipal() throws Exception {
    BearerTokenFilter f = new BearerTokenFilter(TOKEN, "caller");
    assertThat(run(f, withHeader("Bearer " + TOKEN))).isEqualTo(new Seen("caller", false));
    assertThat(run(f, withHeader("bearer  " + TOKEN + " "))).isEqualTo(new Seen("caller", false));
  }

  @Test
  void aWrongOrMissingTokenAuthenticatesNobody() throws Exception {
    BearerTokenFilter f = new BearerTokenFilter(TOKEN, "caller");
    assertThat(run(f, withHeader("Bearer wrong"))).isEqualTo(new Seen(null, true));
    assertThat(run(f, withHeader("Bearer " + TOKEN + "x"))).isEqualTo(new Seen(null, true));
    assertThat(run(f, withHeader("Bearer " + TOKEN.substring(1)))).isEqualTo(new Seen(null, true));
    assertThat(run(f, withHeader("Basic " + TOKEN))).isEqualTo(new Seen(null, null));
    assertThat(run(f, withHeader(null))).isEqualTo(new Seen(null, null));
  }

  @Test
  void anotherCredentialCountsOnlyWithoutTheHeader() throws Exception {
    BearerTokenFilter f = new BearerTokenFilter(TOKEN, "caller",
        r -> r.getParameter("ticket") == null ? null : r.getParameter("ticket").equals("good"));
    MockHttpServletRequest good = withHeader(null);
    good.setParameter("ticket", "good");
    assertThat(run(f, good)).isEqualTo(new Seen("caller", false));
    MockHttpServletRequest bad = withHeader(null);
    bad.setParameter("ticket", "bad");
    assertThat(run(f, bad)).isEqualTo(new Seen(null, true));
    MockHttpServletRequest wrongHeader = withHeader("Bearer wrong");
    wrongHeader.setParameter("ticket", "good");
    assertThat(run(f, wrongHeader)).isEqualTo(new Seen(null, true));
  }

  @Test
  void noFilterWithoutAToken() {
    assertThatThrownBy(() -> new BearerTokenFilter(" ", "caller")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEntryPointSaysWhetherTheCredentialWasMissingOrWrong() throws Exception {
    var entry = StatelessSecurity.unauthorized("realm-x", "missing", "not valid");
    MockHttpServletRequest request = withHeader(null);
    MockHttpServletResponse response = new MockHttpServletResponse();
    entry.commence(request, response, null);
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"realm-x\"");
    assertThat(response.getContentAsString()).isEqualTo("{\"status\":401,\"error\":\"unauthorized\",\"message\":\"missing\"}");
    request.setAttribute(BearerTokenFilter.INVALID, true);
    MockHttpServletResponse second = new MockHttpServletResponse();
    entry.commence(request, second, null);
    assertThat(second.getContentAsString()).contains("\"not valid\"");
  }
}
