package dev.softkey.platform.provision;

/**
 * A Microsoft Graph creationOptions document that cannot be used: the message names the member
 * (as a JSON path such as {@code publicKey.user.id}) and what is wrong with it.
 */
public final class GraphOptionsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public GraphOptionsException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  /** The member at fault, e.g. {@code publicKey.excludeCredentials[0].id}; empty for the whole document. */
  public String field() {
    return field;
  }
}
