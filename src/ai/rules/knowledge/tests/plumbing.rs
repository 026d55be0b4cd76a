//! Callers of a plumber, as speech recognition writes them down.

use super::{Case, FollowUp, NONE, TwoAtOnce};

pub(super) const FIXTURE: &str = include_str!("fixtures/plumbing.toml");

#[rustfmt::skip]
pub(super) const QUESTIONS: &[Case] = &[
    ("what would it cost to clear a blocked toilet", "drain cleaning cost"),
    ("how much to unclog a drain", "drain cleaning cost"),
    ("my kitchen sink is all backed up how much do you charge for that", "drain cleaning cost"),
    ("do you guys snake drains", "drain cleaning cost"),
    ("do you go out to shelbyville", "areas do you serve"),
    ("do you service capital city", "areas do you serve"),
    ("yeah do you come out to ogdenville", "areas do you serve"),
    ("what area do you cover", "areas do you serve"),
    ("are you guys able to come out to springfield", "areas do you serve"),
    ("how far out do you go", "areas do you serve"),
    ("whats your service call fee", "service call"),
    ("how much is it just for you to come out and look at it", "service call"),
    ("do you charge to come out", "service call"),
    ("do you do emergency calls at night", "emergency service"),
    ("is somebody available twenty four seven", "emergency service"),
    ("do you charge extra on weekends", "emergency service"),
    ("do you fix water heaters", "water heaters"),
    ("can you put in a tankless water heater", "water heaters"),
    ("how much is a new water heater", "water heaters"),
    ("um my hot water heater is leaking do you repair those", "water heaters"),
    ("do you do free estimates", "free estimates"),
    ("can i get a quote for a bathroom remodel", "free estimates"),
    ("are you licensed", "licensed and insured"),
    ("are you guys bonded and insured", "licensed and insured"),
    ("whats your license number", "licensed and insured"),
    ("is there a warranty on the work", "warranty"),
    ("do you guarantee your repairs", "warranty"),
    ("how long is the warranty on a water heater", "warranty"),
    ("do you do sewer lines", "sewer line"),
    ("can you run a camera down my sewer line", "sewer line"),
    ("i think my main line is broken do you do trenchless", "sewer line"),
    ("i have a leak under my sink can you fix that", "leaks and burst pipes"),
    ("do you fix dripping faucets", "leaks and burst pipes"),
    ("do you install garbage disposals", "garbage disposals"),
    ("my disposal stopped working can you replace it", "garbage disposals"),
    ("do you take credit cards", "forms of payment"),
    ("can i pay by check", "forms of payment"),
    ("do you offer financing", "forms of payment"),
    ("do you work on sump pumps", "sump pumps"),
    ("my sump pump isnt turning on can you guys fix it", "sump pumps"),
    ("do you do gas lines", "gas line"),
    ("can you hook up a gas stove", "gas line"),
    ("do you have a senior discount", "discounts"),
    ("any discounts for military", "discounts"),
    ("do you have any coupons", "discounts"),
    ("whos the owner", NONE),
    ("whats the name of the plumber coming out", NONE),
    ("do you do roofing", NONE),
    ("can you install a dishwasher", NONE),
    ("do you do electrical work", NONE),
    ("do you fix air conditioners", NONE),
    ("do you pump septic tanks", NONE),
    ("do you clean gutters", NONE),
    ("how much do you charge per hour", NONE),
    ("do you sell water softeners", NONE),
    ("are you hiring", NONE),
    ("how long have you been in business", NONE),
];

#[rustfmt::skip]
pub(super) const FOLLOW_UPS: &[FollowUp] = &[
    ("service call", "is that included if you do the repair", "service call"),
    ("emergency service", "do you do that on weekends too", "emergency service"),
    ("water heaters", "what about tankless", "water heaters"),
    ("water heaters", "is there a warranty on that", "warranty"),
    ("areas do you serve", "what about capital city", "areas do you serve"),
    ("drain cleaning cost", "is that included", NONE),
    ("garbage disposals", "how long does that take", NONE),
];

#[rustfmt::skip]
pub(super) const TWO_AT_ONCE: &[TwoAtOnce] = &[
    ("do you go out to shelbyville and what do you charge for a service call", &["areas do you serve", "service call"]),
    ("are you licensed and do you offer a warranty", &["licensed and insured", "warranty"]),
    ("do you take credit cards and do you have a senior discount", &["forms of payment", "discounts"]),
    ("how much to unclog a toilet do you come out to ogdenville", &["drain cleaning cost", "areas do you serve"]),
];
