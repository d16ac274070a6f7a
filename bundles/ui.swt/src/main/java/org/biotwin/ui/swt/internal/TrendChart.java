package org.biotwin.ui.swt.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

/**
 * A trajectory chart drawn with GC on a Canvas: predicted 5-95 % band (filled) and median, the twin's estimates
 * (line), measured values (dots), the advised course (dashed), a "now" line and the planned harvest. Axis ranges cover
 * every series; ticks are 1-2-5 steps. No charting library: SWT only, so the panel runs wherever SWT does.
 * UI thread only.
 */
final class TrendChart extends Canvas {

    static final int MEASURED = SWT.COLOR_DARK_BLUE;
    /** Up to this many measured values are dots (lab results), above it a trace (online signals). */
    private static final int DOTS = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 40;
    private static final int BOTTOM = 34;

    private ChartData data;

    TrendChart(Composite parent, String variable) {
        super(parent, SWT.DOUBLE_BUFFERED);
        this.data = ChartData.empty(variable);
        setBackground(getDisplay().getSystemColor(SWT.COLOR_WHITE));
        addPaintListener(e -> paint(e.gc));
    }

    void setData(ChartData d) {
        this.data = d;
        redraw();
    }

    ChartData data() {
        return data;
    }

    /** The plot area inside the axes, in this control's coordinates. */
    Rectangle plotArea() {
        Rectangle c = getClientArea();
        return new Rectangle(LEFT, TOP, Math.max(1, c.width - LEFT - RIGHT), Math.max(1, c.height - TOP - BOTTOM));
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        return new Point(wHint == SWT.DEFAULT ? 320 : wHint, hHint == SWT.DEFAULT ? 200 : hHint);
    }

    private void paint(GC gc) {
        gc.setAntialias(SWT.ON);
        gc.setTextAntialias(SWT.ON);
        Rectangle p = plotArea();
        Color black = sys(SWT.COLOR_BLACK);
        Color grid = new Color(225, 225, 225);
        Color bandFill = new Color(253, 208, 162);
        Color predicted = new Color(230, 85, 13);
        Color estimated = new Color(35, 139, 69);
        Color advised = new Color(117, 107, 177);
        gc.setForeground(black);
        gc.drawText(data.variable() + (data.unit().isEmpty() ? "" : " [" + data.unit() + "]"), LEFT, 3, true);
        if (!data.hasData()) {
            gc.setForeground(sys(SWT.COLOR_DARK_GRAY));
            gc.drawText("no data yet", p.x + 8, p.y + 8, true);
            gc.drawRectangle(p);
            return;
        }

        // Ranges over every series, with the harvest on the time axis.
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        span(xr, data.measuredT());
        span(yr, data.measuredV());
        span(xr, data.estimatedT());
        span(yr, data.estimatedV());
        for (ChartData.Band b : new ChartData.Band[] {data.band(), data.advised()}) {
            if (b != null) {
                span(xr, b.t());
                span(yr, b.p05());
                span(yr, b.p95());
                span(yr, b.p50());
            }
        }
        if (Double.isFinite(data.harvestAge())) {
            span(xr, new double[] {data.harvestAge()});
        }
        xr[0] = Math.min(xr[0], 0);
        yr[0] = Math.min(yr[0], 0); // concentrations and volumes: show the zero
        if (!(yr[1] > yr[0])) {
            yr[1] = yr[0] + 1;
        }
        if (!(xr[1] > xr[0])) {
            xr[1] = xr[0] + 1;
        }
        double yStep = niceStep((yr[1] - yr[0]) / 5);
        yr[1] = Math.ceil(yr[1] / yStep) * yStep;
        double xStep = niceStep((xr[1] - xr[0]) / 8);
        Axis ax = new Axis(p, xr[0], xr[1], yr[0], yr[1]);

        // Grid and ticks.
        gc.setLineWidth(1);
        for (double y = Math.ceil(yr[0] / yStep) * yStep; y <= yr[1] + 1e-9 * yStep; y += yStep) {
            int py = ax.y(y);
            gc.setForeground(grid);
            gc.drawLine(p.x, py, p.x + p.width, py);
            gc.setForeground(black);
            String s = label(y, yStep);
            gc.drawText(s, p.x - gc.textExtent(s).x - 4, py - gc.getFontMetrics().getHeight() / 2, true);
        }
        for (double x = Math.ceil(xr[0] / xStep) * xStep; x <= xr[1] + 1e-9 * xStep; x += xStep) {
            int px = ax.x(x);
            gc.setForeground(grid);
            gc.drawLine(px, p.y, px, p.y + p.height);
            gc.setForeground(black);
            String s = label(x, xStep);
            gc.drawText(s, px - gc.textExtent(s).x / 2, p.y + p.height + 2, true);
        }
        String xTitle = "batch age [h]";
        gc.drawText(xTitle, p.x + p.width - gc.textExtent(xTitle).x, p.y + p.height + 16, true);

        gc.setClipping(p.x, p.y, p.width + 1, p.height + 1);
        // Predicted band, then its median.
        ChartData.Band b = data.band();
        if (b != null && b.t().length > 1) {
            int n = b.t().length;
            int[] poly = new int[4 * n];
            for (int i = 0; i < n; i++) {
                poly[2 * i] = ax.x(b.t()[i]);
                poly[2 * i + 1] = ax.y(b.p95()[i]);
                poly[4 * n - 2 * i - 2] = ax.x(b.t()[i]);
                poly[4 * n - 2 * i - 1] = ax.y(b.p05()[i]);
            }
            gc.setBackground(bandFill);
            gc.setAlpha(170);
            gc.fillPolygon(poly);
            gc.setAlpha(255);
            line(gc, ax, b.t(), b.p50(), predicted, 2, SWT.LINE_SOLID);
        }
        ChartData.Band a = data.advised();
        if (a != null && a.t().length > 1) {
            line(gc, ax, a.t(), a.p50(), advised, 2, SWT.LINE_DASH);
        }
        line(gc, ax, data.estimatedT(), data.estimatedV(), estimated, 2, SWT.LINE_SOLID);
        if (data.measuredT().length > DOTS) {
            // Online signals (one a minute): a thin trace; dots would merge into a bar.
            line(gc, ax, data.measuredT(), data.measuredV(), sys(MEASURED), 1, SWT.LINE_SOLID);
        } else {
            gc.setBackground(sys(MEASURED));
            for (int i = 0; i < data.measuredT().length; i++) {
                gc.fillOval(ax.x(data.measuredT()[i]) - 3, ax.y(data.measuredV()[i]) - 3, 7, 7);
            }
        }
        if (Double.isFinite(data.nowAge())) {
            gc.setForeground(sys(SWT.COLOR_DARK_GRAY));
            gc.setLineStyle(SWT.LINE_DOT);
            gc.drawLine(ax.x(data.nowAge()), p.y, ax.x(data.nowAge()), p.y + p.height);
        }
        if (Double.isFinite(data.harvestAge())) {
            gc.setForeground(sys(SWT.COLOR_DARK_RED));
            gc.setLineStyle(SWT.LINE_DASHDOT);
            gc.drawLine(ax.x(data.harvestAge()), p.y, ax.x(data.harvestAge()), p.y + p.height);
        }
        gc.setLineStyle(SWT.LINE_SOLID);
        gc.setClipping((Rectangle) null);
        gc.setForeground(black);
        gc.drawRectangle(p);

        // Legend, one row under the title, left to right; short names when the long ones do not fit.
        String[][] names = {{"measured", "estimated", "predicted 5-95 %", "advised"},
            {"meas.", "est.", "pred. 5-95 %", "adv."}};
        Color[] colours = {sys(MEASURED), estimated, predicted, advised};
        boolean[] shown = {data.measuredT().length > 0, data.estimatedT().length > 0, b != null, a != null};
        for (String[] set : names) {
            int w = 0;
            for (int i = 0; i < set.length; i++) {
                w += shown[i] ? gc.textExtent(set[i]).x + 22 : 0;
            }
            if (w <= p.width + LEFT - 20 || set == names[names.length - 1]) {
                int x = Math.max(4, p.x + p.width - w);
                for (int i = 0; i < set.length; i++) {
                    if (shown[i]) {
                        gc.setBackground(colours[i]);
                        gc.fillRectangle(x, 25, 10, 6);
                        gc.setForeground(black);
                        gc.drawText(set[i], x + 14, 20, true);
                        x += gc.textExtent(set[i]).x + 22;
                    }
                }
                break;
            }
        }

        grid.dispose();
        bandFill.dispose();
        predicted.dispose();
        estimated.dispose();
        advised.dispose();
    }

    private static void line(GC gc, Axis ax, double[] t, double[] v, Color c, int width, int style) {
        if (t.length < 2) {
            return;
        }
        int[] pts = new int[2 * t.length];
        for (int i = 0; i < t.length; i++) {
            pts[2 * i] = ax.x(t[i]);
            pts[2 * i + 1] = ax.y(v[i]);
        }
        gc.setForeground(c);
        gc.setLineWidth(width);
        gc.setLineStyle(style);
        gc.drawPolyline(pts);
        gc.setLineWidth(1);
        gc.setLineStyle(SWT.LINE_SOLID);
    }

    private Color sys(int id) {
        return getDisplay().getSystemColor(id);
    }

    private static void span(double[] r, double[] v) {
        for (double d : v) {
            if (Double.isFinite(d)) {
                r[0] = Math.min(r[0], d);
                r[1] = Math.max(r[1], d);
            }
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    static String label(double v, double step) {
        if (Math.abs(v) < step * 1e-6) {
            return "0";
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step)));
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Linear mapping from data to pixels. */
    private record Axis(Rectangle p, double x0, double x1, double y0, double y1) {
        int x(double v) {
            return p.x + (int) Math.round((v - x0) / (x1 - x0) * p.width);
        }

        int y(double v) {
            return p.y + p.height - (int) Math.round((v - y0) / (y1 - y0) * p.height);
        }
    }
}
