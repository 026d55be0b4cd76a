//! Test calls in lists: the owner's typed calls from the test call page are
//! real calls of the business, but not callers. The call log leaves them out
//! unless asked, and the overview's figures never count them.

/// Which calls a list shows, as far as test calls go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TestCalls {
    /// Phone calls only.
    #[default]
    LeftOut,
    /// Phone calls and test calls.
    Included,
    /// Test calls only.
    Only,
}

impl TestCalls {
    /// Every choice, in the order a form lists them.
    pub const ALL: [TestCalls; 3] = [TestCalls::LeftOut, TestCalls::Included, TestCalls::Only];

    /// The value in a query string (empty for the default).
    pub fn as_str(self) -> &'static str {
        match self {
            TestCalls::LeftOut => "",
            TestCalls::Included => "include",
            TestCalls::Only => "only",
        }
    }

    /// `None` for a value that is not a choice.
    pub fn parse(value: &str) -> Option<TestCalls> {
        TestCalls::ALL
            .into_iter()
            .find(|choice| choice.as_str() == value.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            TestCalls::LeftOut => "Left out",
            TestCalls::Included => "Included",
            TestCalls::Only => "Only test calls",
        }
    }

    /// The `is_test` values a list with this choice shows.
    pub fn is_test_values(self) -> &'static [bool] {
        match self {
            TestCalls::LeftOut => &[false],
            TestCalls::Included => &[false, true],
            TestCalls::Only => &[true],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_reads_back_from_its_query_value() {
        for choice in TestCalls::ALL {
            assert_eq!(TestCalls::parse(choice.as_str()), Some(choice));
        }
        assert_eq!(TestCalls::parse(" only "), Some(TestCalls::Only));
        assert_eq!(TestCalls::parse("all"), None);
        assert_eq!(TestCalls::default(), TestCalls::LeftOut);
    }
}
