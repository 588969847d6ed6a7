//! Cost per million requests from measured figures and AWS's published on-demand prices.

/// AWS's published us-east-1 on-demand prices, in US dollars.
#[derive(Clone, Copy, Debug)]
pub struct Prices {
    /// Lambda duration on arm64, per GB-second.
    pub lambda_arm64_gb_second: f64,
    /// Lambda requests, per million.
    pub lambda_requests_per_million: f64,
    /// API Gateway REST API requests, per million (first 333 million a month).
    pub rest_requests_per_million: f64,
    /// DynamoDB on-demand write request units, per million.
    pub write_units_per_million: f64,
    /// DynamoDB on-demand read request units, per million.
    pub read_units_per_million: f64,
    /// SES outbound messages, per million (USD 0.10 per thousand).
    pub ses_messages_per_million: f64,
}

/// The prices the record uses, with the date they are quoted as of.
pub const PRICES: Prices = Prices {
    lambda_arm64_gb_second: 0.000_013_333_4,
    lambda_requests_per_million: 0.20,
    rest_requests_per_million: 3.50,
    write_units_per_million: 0.625,
    read_units_per_million: 0.125,
    ses_messages_per_million: 100.0,
};

/// When [`PRICES`] were quoted.
pub const PRICES_AS_OF: &str = "2026-12-04";

/// The resources one invocation of one function uses.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    /// Billed duration in ms: the measured time rounded up to the next millisecond.
    pub billed_ms: f64,
    pub memory_mb: u64,
    pub read_units: f64,
    pub write_units: f64,
    pub ses_messages: f64,
}

/// Cost of a million requests, split by service.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cost {
    pub lambda: f64,
    pub dynamodb: f64,
    pub ses: f64,
    pub gateway: f64,
}

impl Cost {
    pub fn total(&self) -> f64 {
        self.lambda + self.dynamodb + self.ses + self.gateway
    }
}

/// Cost of a million invocations of one function, without API Gateway.
pub fn function_cost(usage: &Usage, prices: &Prices) -> Cost {
    let gb_seconds = usage.memory_mb as f64 / 1024.0 * usage.billed_ms / 1000.0;
    Cost {
        lambda: gb_seconds * prices.lambda_arm64_gb_second * 1e6
            + prices.lambda_requests_per_million,
        dynamodb: usage.read_units * prices.read_units_per_million
            + usage.write_units * prices.write_units_per_million,
        ses: usage.ses_messages * prices.ses_messages_per_million,
        gateway: 0.0,
    }
}

/// Cost of a million API requests: the route's function, its authorizer when API Gateway
/// runs one on every request (no authorizer cache), and the REST request itself.
pub fn request_cost(function: &Usage, authorizer: Option<&Usage>, prices: &Prices) -> Cost {
    let mut cost = function_cost(function, prices);
    if let Some(authorizer) = authorizer {
        let extra = function_cost(authorizer, prices);
        cost.lambda += extra.lambda;
        cost.dynamodb += extra.dynamodb;
        cost.ses += extra.ses;
    }
    cost.gateway = prices.rest_requests_per_million;
    cost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb_second_costs_duration_price() {
        let usage = Usage {
            billed_ms: 1000.0,
            memory_mb: 1024,
            ..Usage::default()
        };

        let cost = function_cost(&usage, &PRICES);

        let expected = PRICES.lambda_arm64_gb_second * 1e6 + PRICES.lambda_requests_per_million;
        assert!((cost.lambda - expected).abs() < 1e-9);
    }

    #[test]
    fn request_cost_adds_the_authorizer_and_the_gateway() {
        let function = Usage {
            read_units: 1.0,
            ..Usage::default()
        };
        let authorizer = Usage {
            read_units: 1.0,
            ..Usage::default()
        };

        let alone = request_cost(&function, None, &PRICES);
        let authorized = request_cost(&function, Some(&authorizer), &PRICES);

        assert!((alone.dynamodb - PRICES.read_units_per_million).abs() < 1e-9);
        assert!((authorized.dynamodb - 2.0 * PRICES.read_units_per_million).abs() < 1e-9);
        assert!((authorized.gateway - PRICES.rest_requests_per_million).abs() < 1e-9);
    }
}
