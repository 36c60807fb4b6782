package dev.pulse.llm.budget;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, for the LLM budget: the authenticated principal, never a name from the request body (a caller could
 * otherwise mint a fresh budget per made-up pipeline name, and the map of budgets would grow without bound). Read on
 * the request's thread, before work moves to the LLM executor.
 */
public final class Callers {
  /** The one caller of a gateway that runs without a token. */
  public static final String UNAUTHENTICATED = "unauthenticated";

  private Callers() {}

  public static String current() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a == null || !a.isAuthenticated() || a instanceof AnonymousAuthenticationToken
        ? UNAUTHENTICATED : a.getName();
  }
}
