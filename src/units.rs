//! The one way sizes, rates, durations and amounts of money are written for people, in the plan summary, the
//! runbook and every other text the tool prints, so one figure never reads two ways.

/// Bytes in binary units, e.g. `1.5 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A rate in binary units per second, e.g. `5.0 MiB/s`.
pub fn rate(bytes_per_second: f64) -> String {
    format!("{}/s", bytes(bytes_per_second.max(0.0).round() as u64))
}

/// A duration, e.g. `45s`, `12m 05s`, `3h 07m`, `2d 04h`.
pub fn duration(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {:02}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
        s => format!("{}d {:02}h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// An amount with two decimals and thousands separators, e.g. `1,559.03`.
pub fn money(amount: f64) -> String {
    let cents = (amount.abs() * 100.0).round() as u64;
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{grouped}.{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(rate(5.0 * 1024.0 * 1024.0), "5.0 MiB/s");
        assert_eq!(duration(59), "59s");
        assert_eq!(duration(725), "12m 05s");
        assert_eq!(duration(3 * 3600 + 7 * 60), "3h 07m");
        assert_eq!(duration(50 * 3600), "2d 02h");
    }

    #[test]
    fn money_is_grouped_with_two_decimals() {
        assert_eq!(money(1559.0286), "1,559.03");
        assert_eq!(money(-0.004), "0.00");
        assert_eq!(money(-12.5), "-12.50");
        assert_eq!(money(1_000_000.0), "1,000,000.00");
    }
}
