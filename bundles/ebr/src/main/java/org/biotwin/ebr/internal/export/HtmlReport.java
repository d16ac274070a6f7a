package org.biotwin.ebr.internal.export;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The human-readable batch record: one self-contained, print-friendly HTML page rendered from the export document, so
 * that it shows exactly what the JSON holds. Every value is HTML-escaped. Stateless and thread-safe.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static String render(JsonNode d) {
        JsonNode b = d.path("batch");
        StringBuilder h = new StringBuilder(16384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Batch record ")
                .append(esc(b.path("batchId"))).append("</title>\n<style>\n")
                .append("body{font-family:Helvetica,Arial,sans-serif;font-size:10pt;margin:1.5cm;color:#000}\n")
                .append("h1{font-size:16pt;margin:0 0 .3em}h2{font-size:12pt;margin:1.2em 0 .4em;"
                        + "border-bottom:1px solid #000}\n")
                .append("table{border-collapse:collapse;width:100%;margin-bottom:.5em}"
                        + "th,td{border:1px solid #666;padding:2px 4px;text-align:left;vertical-align:top}\n")
                .append("th{background:#eee}td.mono,span.mono{font-family:monospace;font-size:8pt;"
                        + "word-break:break-all}\n")
                .append("tr{page-break-inside:avoid}.invalid{color:#b00;font-weight:bold}\n")
                .append("@media print{body{margin:0}a{color:#000}@page{size:A4 landscape;margin:1.2cm}}\n")
                .append("</style></head><body>\n");
        h.append("<h1>Electronic batch record ").append(esc(b.path("batchId"))).append("</h1>\n");
        h.append("<table>");
        row(h, "Product", b.path("product"));
        row(h, "Unit (equipment)", b.path("unitId"));
        h.append("<tr><th>Master recipe</th><td>").append(esc(b.path("recipeId"))).append(" version ")
                .append(esc(b.path("recipeVersion"))).append("</td></tr>");
        row(h, "State", b.path("state"));
        row(h, "Created (UTC)", b.path("created"));
        row(h, "Started (UTC)", b.path("batchStart"));
        row(h, "Ended (UTC)", b.path("ended"));
        row(h, "Exported (UTC)", d.path("exportedAt"));
        row(h, "Exported by", d.path("exportedBy"));
        h.append("<tr><th>Content hash (SHA-256)</th><td class=\"mono\">").append(esc(d.path("contentHash")))
                .append("</td></tr>");
        h.append("<tr><th>Export hash (SHA-256)</th><td class=\"mono\">").append(esc(d.path("exportHash")))
                .append("</td></tr>");
        h.append("<tr><th>Audit trail head</th><td class=\"mono\">#").append(esc(d.path("trailHead").path("sequence")))
                .append(" ").append(esc(d.path("trailHead").path("hash"))).append("</td></tr>");
        h.append("</table>\n");

        h.append("<h2>Recipe parameters</h2><table><tr><th>Parameter</th><th>Value</th></tr>");
        d.path("recipeParameters").fields().forEachRemaining(e -> h.append("<tr><td>").append(esc(e.getKey()))
                .append("</td><td>").append(esc(e.getValue())).append("</td></tr>"));
        h.append("</table>\n<h2>Material lots</h2><table><tr><th>Material</th><th>Lot</th></tr>");
        for (JsonNode l : d.path("materialLots")) {
            h.append("<tr><td>").append(esc(l.path("material"))).append("</td><td>").append(esc(l.path("lot")))
                    .append("</td></tr>");
        }
        h.append("</table>\n<h2>Phases (ISA-88)</h2><table><tr><th>Phase</th><th>Start (UTC)</th><th>End (UTC)</th>"
                + "</tr>");
        for (JsonNode p : d.path("phases")) {
            h.append("<tr><td>").append(esc(p.path("phase"))).append("</td><td>").append(esc(p.path("start")))
                    .append("</td><td>").append(esc(p.path("end"))).append("</td></tr>");
        }
        h.append("</table>\n<h2>Key values</h2><table><tr><th>Name</th><th>Value</th><th>Unit</th><th>Time (UTC)</th>"
                + "<th>Recorded by</th></tr>");
        for (JsonNode v : d.path("keyValues")) {
            h.append("<tr><td>").append(esc(v.path("name"))).append("</td><td>").append(esc(v.path("value")))
                    .append("</td><td>").append(esc(v.path("uom"))).append("</td><td>").append(esc(v.path("time")))
                    .append("</td><td>").append(esc(v.path("recordedBy"))).append("</td></tr>");
        }
        h.append("</table>\n<h2>Electronic signatures</h2><table><tr><th>Printed name</th><th>User id</th>"
                + "<th>Signed (UTC)</th><th>Meaning</th><th>Reason</th><th>Signed content hash</th>"
                + "<th>Valid for this content</th></tr>");
        for (JsonNode s : d.path("signatures")) {
            boolean valid = "true".equals(s.path("validForThisContent").asText());
            h.append("<tr><td>").append(esc(s.path("printedName"))).append("</td><td>").append(esc(s.path("userId")))
                    .append("</td><td>").append(esc(s.path("signedAt"))).append("</td><td>")
                    .append(esc(s.path("meaning"))).append("</td><td>").append(esc(s.path("reason")))
                    .append("</td><td class=\"mono\">").append(esc(s.path("recordHash"))).append("</td><td")
                    .append(valid ? ">yes" : " class=\"invalid\">NO (signed other content)").append("</td></tr>");
        }
        h.append("</table>\n<h2>Audit trail of this batch</h2><table><tr><th>#</th><th>Time (UTC)</th><th>Who</th>"
                + "<th>What</th><th>Why</th><th>Old value</th><th>New value</th><th>Hash</th></tr>");
        for (JsonNode e : d.path("auditEntries")) {
            h.append("<tr><td>").append(esc(e.path("sequence"))).append("</td><td>").append(esc(e.path("timestamp")))
                    .append("</td><td>").append(esc(e.path("actor"))).append("</td><td>")
                    .append(esc(e.path("action"))).append("</td><td>").append(esc(e.path("reason")))
                    .append("</td><td class=\"mono\">").append(esc(e.path("oldValue")))
                    .append("</td><td class=\"mono\">").append(esc(e.path("newValue")))
                    .append("</td><td class=\"mono\">").append(esc(e.path("hash"))).append("</td></tr>");
        }
        h.append("</table>\n<p>Generated by BioTwin EBR (format ").append(esc(d.path("format")))
                .append("). The JSON export of the same name is the authoritative electronic record; verify it with"
                        + " <span class=\"mono\">ebr:verify &lt;file&gt;</span>.</p>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String label, JsonNode v) {
        h.append("<tr><th>").append(label).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    static String esc(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "&ndash;";
        }
        return esc(n.asText());
    }

    static String esc(String s) {
        StringBuilder o = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '&' -> o.append("&amp;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> o.append(c);
            }
        }
        return o.toString();
    }
}
