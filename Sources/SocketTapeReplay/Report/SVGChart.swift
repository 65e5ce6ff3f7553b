import SocketTapeTape

/// Line and bar charts as inline SVG for the HTML load report: drawn here, so the page needs
/// neither script nor network to show them.
enum SVGChart {
    /// One line of a line chart.
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
    }

    private static let width = 760.0
    private static let height = 260.0
    private static let left = 64.0
    private static let right = 16.0
    private static let top = 24.0
    private static let bottom = 40.0

    /// Lines over a shared x axis starting at 0, with a legend.
    static func lines(_ series: [Series], xLabel: String, yLabel: String) -> String {
        let xMax = niceCeiling(series.flatMap { $0.points.map(\.x) }.max() ?? 1)
        let yMax = niceCeiling(series.flatMap { $0.points.map(\.y) }.max() ?? 1)
        var svg = frame(xLabel: xLabel, yLabel: yLabel, yMax: yMax)
        svg += xTicks(xMax)
        for (index, line) in series.enumerated() {
            let points = line.points.map { "\(format(x($0.x, xMax))),\(format(y($0.y, yMax)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\" points=\"\(points)\"/>"
            let legendX = left + 10 + Double(index) * 150
            svg += "<rect x=\"\(format(legendX))\" y=\"6\" width=\"12\" height=\"3\" fill=\"\(line.color)\"/>"
            svg += "<text x=\"\(format(legendX + 16))\" y=\"11\">\(JUnitReportRenderer.escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    /// Bars of equal width, labelled below every few bars.
    static func bars(_ bars: [(label: String, value: Double)], color: String, xLabel: String, yLabel: String) -> String {
        let yMax = niceCeiling(bars.map(\.value).max() ?? 1)
        var svg = frame(xLabel: xLabel, yLabel: yLabel, yMax: yMax)
        let slot = (width - left - right) / Double(max(bars.count, 1))
        let labelEvery = max(1, bars.count / 8)
        for (index, bar) in bars.enumerated() {
            let barX = left + Double(index) * slot
            let barY = y(bar.value, yMax)
            svg += "<rect x=\"\(format(barX + 1))\" y=\"\(format(barY))\" width=\"\(format(max(slot - 2, 1)))\" "
                + "height=\"\(format(height - bottom - barY))\" fill=\"\(color)\"><title>\(JUnitReportRenderer.escape(bar.label)): "
                + "\(format(bar.value))</title></rect>"
            if index % labelEvery == 0 {
                svg += "<text x=\"\(format(barX + slot / 2))\" y=\"\(format(height - bottom + 14))\" text-anchor=\"middle\">"
                    + "\(JUnitReportRenderer.escape(bar.label))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (1 for nothing to show).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        return [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= value } ?? value
    }

    /// The opening tag, axes, y ticks and axis labels.
    private static func frame(xLabel: String, yLabel: String, yMax: Double) -> String {
        var svg = "<svg viewBox=\"0 0 \(format(width)) \(format(height))\" class=\"chart\" role=\"img\">"
        svg += "<line x1=\"\(format(left))\" y1=\"\(format(height - bottom))\" x2=\"\(format(width - right))\" y2=\"\(format(height - bottom))\" class=\"axis\"/>"
        svg += "<line x1=\"\(format(left))\" y1=\"\(format(top))\" x2=\"\(format(left))\" y2=\"\(format(height - bottom))\" class=\"axis\"/>"
        for step in 0...4 {
            let value = yMax * Double(step) / 4
            let tickY = y(value, yMax)
            svg += "<line x1=\"\(format(left))\" y1=\"\(format(tickY))\" x2=\"\(format(width - right))\" y2=\"\(format(tickY))\" class=\"grid\"/>"
            svg += "<text x=\"\(format(left - 6))\" y=\"\(format(tickY + 4))\" text-anchor=\"end\">\(format(value))</text>"
        }
        svg += "<text x=\"\(format((left + width - right) / 2))\" y=\"\(format(height - 6))\" text-anchor=\"middle\">\(JUnitReportRenderer.escape(xLabel))</text>"
        svg += "<text x=\"14\" y=\"\(format((top + height - bottom) / 2))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 14 \(format((top + height - bottom) / 2)))\">\(JUnitReportRenderer.escape(yLabel))</text>"
        return svg
    }

    private static func xTicks(_ xMax: Double) -> String {
        (0...5).map { step in
            let value = xMax * Double(step) / 5
            return "<text x=\"\(format(x(value, xMax)))\" y=\"\(format(height - bottom + 14))\" text-anchor=\"middle\">\(format(value))</text>"
        }.joined()
    }

    private static func x(_ value: Double, _ xMax: Double) -> Double {
        left + value / xMax * (width - left - right)
    }

    private static func y(_ value: Double, _ yMax: Double) -> Double {
        height - bottom - value / yMax * (height - top - bottom)
    }

    /// A coordinate or tick value: at most 2 decimals, trailing zeros dropped.
    private static func format(_ value: Double) -> String {
        var text = TextFormat.fixed(value, 2)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
