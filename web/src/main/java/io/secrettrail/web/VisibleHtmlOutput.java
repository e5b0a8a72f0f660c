package io.secrettrail.web;

import gg.jte.Content;
import gg.jte.TemplateOutput;
import gg.jte.html.HtmlTemplateOutput;

/**
 * How the templates escape: every {@code ${...}} is escaped for where it stands, with no call in
 * the template. Text a person reads gets {@link Html#escape} (hidden characters shown as
 * {@code \\uXXXX}, then HTML-escaped), so {@code invoice\u202Etxt.exe} cannot pose as
 * {@code invoiceexe.txt}; an attribute value gets {@link Html#attr} (HTML-escaped only), so hidden
 * fields and links carry the exact value back (an acknowledgement names the alert's real resource).
 * Output inside a script or style element or an event-handler attribute is refused: the pages have none, and
 * the CSP would block it anyway.
 */
final class VisibleHtmlOutput implements HtmlTemplateOutput {
    private final TemplateOutput out;
    private String tagName;
    private String attributeName;

    VisibleHtmlOutput(TemplateOutput out) {
        this.out = out;
    }

    @Override
    public void setContext(String tagName, String attributeName) {
        this.tagName = tagName;
        this.attributeName = attributeName;
    }

    @Override
    public void writeUserContent(String value) {
        if (value == null) {
            return;
        }
        if (attributeName == null
                ? "script".equals(tagName) || "style".equals(tagName)
                : attributeName.startsWith("on")) {
            throw new IllegalStateException(
                    "no value is written into a script (" + tagName + " " + attributeName + ")");
        }
        out.writeContent(tagName != null && attributeName != null ? Html.attr(value) : Html.escape(value));
    }

    @Override
    public void writeUserContent(Content content) {
        if (content == null) {
            return;
        }
        if (tagName != null && attributeName != null) {
            throw new IllegalStateException("no template content is written into an attribute (" + attributeName + ")");
        }
        content.writeTo(this);
    }

    @Override
    public void writeContent(String value) {
        out.writeContent(value);
    }

    @Override
    public void writeContent(String value, int beginIndex, int endIndex) {
        out.writeContent(value, beginIndex, endIndex);
    }

    @Override
    public void writeBinaryContent(byte[] value) {
        out.writeBinaryContent(value);
    }
}
