//! The words of the demo web: service categories and top-task pages, with several wordings of
//! each so that no two templates or councils say things the same way. All text is our own.
//!
//! A task's `facts` are keyed by the ruleset's question ids. Each has sentences that make the
//! answer "yes" and, optionally, sentences to use when the answer is "no". A sentence may hold a
//! link as `[text](/path)`; `@lookup:name|Label` stands for an address or postcode lookup form.

/// A service category: what a landing page is called and what it says.
pub struct Category {
    /// Our id.
    pub id: &'static str,
    /// Names for the landing page and its navigation link.
    pub labels: &'static [&'static str],
    /// Names to use instead when the LGSL service in `named_service` is missing.
    pub labels_without: &'static [&'static str],
    /// A service the usual labels name (e.g. recycling in "Bins and recycling").
    pub named_service: Option<u32>,
    /// Short path segments for card-style URLs.
    pub short: &'static [&'static str],
    /// One-line descriptions for cards and lists.
    pub blurbs: &'static [&'static str],
}

/// The service categories.
pub const CATEGORIES: &[Category] = &[
    Category {
        id: "waste",
        labels: &[
            "Bins and recycling",
            "Rubbish & recycling",
            "Waste and recycling",
            "Bins, recycling and waste",
            "Waste, recycling and bins",
            "Bins, rubbish and recycling",
        ],
        labels_without: &["Bins", "Rubbish and waste", "Refuse collection"],
        named_service: Some(533),
        short: &["waste", "bins"],
        blurbs: &[
            "Collection days, missed bins and what goes in which bin",
            "Bin days, bulky items and the tip",
            "Everything about your household collections",
        ],
    },
    Category {
        id: "council-tax",
        labels: &[
            "Council Tax",
            "Council tax",
            "Council tax and business rates",
            "Council tax and benefits",
        ],
        labels_without: &[],
        named_service: None,
        short: &["council-tax", "ctax"],
        blurbs: &[
            "Pay, check your band, discounts and exemptions",
            "Bills, payments and reductions",
        ],
    },
    Category {
        id: "benefits",
        labels: &[
            "Benefits",
            "Benefits and financial help",
            "Help with money",
            "Benefits and grants",
        ],
        labels_without: &[],
        named_service: None,
        short: &["benefits", "money"],
        blurbs: &[
            "Help paying your rent and other support",
            "Claims, changes and support schemes",
        ],
    },
    Category {
        id: "planning",
        labels: &[
            "Planning",
            "Planning and building control",
            "Planning & development",
        ],
        labels_without: &[],
        named_service: None,
        short: &["planning"],
        blurbs: &[
            "Applications, local plan and building regulations",
            "Have your say on developments",
        ],
    },
    Category {
        id: "roads",
        labels: &[
            "Roads and transport",
            "Roads, highways and pavements",
            "Streets and travel",
            "Highways",
            "Roads and travel",
        ],
        labels_without: &[],
        named_service: None,
        short: &["roads", "highways"],
        blurbs: &[
            "Road repairs, gritting and street lights",
            "Report a problem on a road or pavement",
        ],
    },
    Category {
        id: "parking",
        labels: &[
            "Parking",
            "Parking and permits",
            "Parking & travel",
            "Parking, roads and travel",
        ],
        labels_without: &[],
        named_service: None,
        short: &["parking"],
        blurbs: &[
            "Car parks, permits and penalty charges",
            "Where to park and what it costs",
        ],
    },
    Category {
        id: "schools",
        labels: &[
            "Schools and education",
            "Education and learning",
            "Schools",
            "Schools and learning",
        ],
        labels_without: &[],
        named_service: None,
        short: &["schools", "education"],
        blurbs: &[
            "Admissions, term dates and school transport",
            "Everything from nursery to sixth form",
        ],
    },
    Category {
        id: "care",
        labels: &[
            "Adult social care",
            "Health and social care",
            "Care and support",
        ],
        labels_without: &[],
        named_service: None,
        short: &["care", "social-care"],
        blurbs: &[
            "Support to live independently",
            "Care at home, disability and carers",
        ],
    },
    Category {
        id: "libraries",
        labels: &[
            "Libraries",
            "Libraries and archives",
            "Leisure and libraries",
        ],
        labels_without: &[],
        named_service: None,
        short: &["libraries"],
        blurbs: &[
            "Borrow books, e-books and use a computer",
            "Branches, opening times and your account",
        ],
    },
    Category {
        id: "democracy",
        labels: &[
            "Council and democracy",
            "Your council",
            "Councillors and democracy",
            "Democracy",
        ],
        labels_without: &[],
        named_service: None,
        short: &["your-council", "democracy"],
        blurbs: &[
            "Councillors, meetings and decisions",
            "How the council works",
        ],
    },
    Category {
        id: "elections",
        labels: &["Elections and voting", "Voting and elections", "Elections"],
        labels_without: &[],
        named_service: None,
        short: &["elections", "voting"],
        blurbs: &[
            "Registering, polling stations and results",
            "How to make sure you can vote",
        ],
    },
    Category {
        id: "jobs",
        labels: &[
            "Jobs and careers",
            "Working for us",
            "Jobs",
            "Jobs and training",
        ],
        labels_without: &[],
        named_service: None,
        short: &["jobs", "careers"],
        blurbs: &["Current opportunities and apprenticeships", "Join our team"],
    },
    Category {
        id: "environment",
        labels: &[
            "Environment",
            "Street cleaning",
            "Streets and environment",
            "Environmental health",
        ],
        labels_without: &[],
        named_service: None,
        short: &["environment", "streets"],
        blurbs: &[
            "Litter, graffiti, dog fouling and noise",
            "Keeping streets clean and safe",
        ],
    },
    Category {
        id: "transport",
        labels: &["Transport", "Travel and transport", "Public transport"],
        labels_without: &[],
        named_service: None,
        short: &["transport", "travel"],
        blurbs: &[
            "Buses, community transport and travel passes",
            "Getting around the area",
        ],
    },
    Category {
        id: "housing",
        labels: &["Housing", "Housing and homelessness", "Homes and housing"],
        labels_without: &[],
        named_service: None,
        short: &["housing"],
        blurbs: &[
            "Finding a home, help if you are homeless and repairs grants",
            "Council homes, housing advice and adaptations",
        ],
    },
    Category {
        id: "registration",
        labels: &[
            "Births, deaths and marriages",
            "Register office",
            "Registration services",
        ],
        labels_without: &[],
        named_service: None,
        short: &["registration", "births-deaths-marriages"],
        blurbs: &[
            "Registering a birth or death, ceremonies and certificates",
            "Our registrars and the register office",
        ],
    },
    Category {
        id: "children",
        labels: &[
            "Children and families",
            "Children, young people and families",
            "Family support",
        ],
        labels_without: &[],
        named_service: None,
        short: &["children", "families"],
        blurbs: &[
            "Childcare, fostering, adoption and family help",
            "Support for children, young people and parents",
        ],
    },
    Category {
        id: "business",
        labels: &["Business and licensing", "Business", "Business and economy"],
        labels_without: &[],
        named_service: None,
        short: &["business", "licensing"],
        blurbs: &[
            "Licences, permits and support for local firms",
            "Running a business in the area",
        ],
    },
    Category {
        id: "leisure",
        labels: &["Parks and leisure", "Parks, sport and leisure"],
        labels_without: &["Leisure and culture", "Sport and leisure"],
        named_service: Some(461),
        short: &["leisure", "parks"],
        blurbs: &[
            "Green spaces, sports centres and things to do",
            "Days out, play areas and sport",
        ],
    },
];

/// How a task is done, which decides its call to action and its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Report something.
    Report,
    /// Apply or claim.
    Apply,
    /// Book and pay.
    Book,
    /// Pay a bill or charge.
    Pay,
    /// Look something up (no form to complete).
    Lookup,
    /// Read and follow links.
    Info,
}

/// A form field: name, label, and the question id a label implies a "yes" for.
pub type FieldSpec = (&'static str, &'static str, Option<&'static str>);

/// Facts for one question: id, "yes" sentences, "no" sentences.
pub type Fact = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// The words of one top task.
pub struct TaskWords {
    /// The ruleset task id.
    pub task: &'static str,
    /// Its category id.
    pub category: &'static str,
    /// The LGSL service the page shows for coverage, if any.
    pub service: Option<u32>,
    /// Link texts and page titles.
    pub titles: &'static [&'static str],
    /// URL slugs.
    pub slugs: &'static [&'static str],
    /// A–Z entries.
    pub az: &'static [&'static str],
    /// Opening sentences (say nothing any question asks about).
    pub intro: &'static [&'static str],
    /// Facts by question id.
    pub facts: &'static [Fact],
    /// The call to action.
    pub action: Action,
    /// Link texts to the online form or payment.
    pub online_links: &'static [&'static str],
    /// Fields of the online form.
    pub fields: &'static [FieldSpec],
}

/// The top tasks' words.
pub const TASKS: &[TaskWords] = &[
    TaskWords {
        task: "report-missed-bin",
        category: "waste",
        service: Some(524),
        titles: &[
            "Report a missed bin",
            "Missed bins",
            "Report a missed bin collection",
            "Bin collection problems",
            "Report a missed bin, bin not emptied",
            "About missed collections",
        ],
        slugs: &[
            "report-a-missed-bin",
            "missed-bins",
            "report-a-missed-bin-collection",
            "bin-collection-problems",
            "report-a-missed-bin-bin-not-emptied",
            "about-missed-collections",
        ],
        az: &["Missed bins", "Bins - report a missed collection"],
        intro: &[
            "If your bin was not emptied on your collection day, tell us and we will arrange to come back.",
            "Sometimes our crews cannot empty a bin. Let us know and we will sort it out.",
        ],
        facts: &[
            (
                "how-to-present",
                &[
                    "Please put your bins out by 7am on your collection day, with the lid closed.",
                    "Bins should be left at the edge of your property, where the crew can see them, by 6.30am.",
                    "Place your bin at the kerbside before 7am and take it back in once it has been emptied.",
                ],
                &[],
            ),
            (
                "report-window",
                &[
                    "You can report a missed collection up to two working days after your collection day.",
                    "Let us know by the end of the next working day so the crew can return.",
                    "Reports must be made within 48 hours of your usual collection.",
                ],
                &[],
            ),
        ],
        action: Action::Report,
        online_links: &["Report a missed bin online", "Report it now", "Start now"],
        fields: &[
            ("address", "Your address", None),
            ("bin", "Which bin was missed?", None),
            ("details", "Anything else we should know", None),
        ],
    },
    TaskWords {
        task: "bin-collection-day",
        category: "waste",
        service: Some(524),
        titles: &[
            "Check your bin collection day",
            "Bin collection days",
            "When is my bin day?",
            "Bin and recycling collection days",
            "Check collection dates",
            "Bin collection calendars",
        ],
        slugs: &[
            "check-your-bin-collection-day",
            "bin-collection-days",
            "when-is-my-bin-day",
            "bin-and-recycling-collection-days",
            "check-collection-dates",
            "bin-collection-calendars",
        ],
        az: &["Bin collection days", "Collection days for bins"],
        intro: &[
            "Find out which day your rubbish and recycling are collected.",
            "Your bins are emptied on the same day each week or fortnight.",
        ],
        facts: &[
            (
                "address-lookup",
                &[
                    "@lookup:postcode|Enter your postcode",
                    "@lookup:address|Your address or postcode",
                    "@lookup:pc|Postcode",
                ],
                &[
                    "Collections in the town centre are on Mondays; villages to the north are collected on Tuesdays and those to the south on Thursdays.",
                ],
            ),
            (
                "calendar",
                &[
                    "[Download your collection calendar](/bins/calendar)",
                    "[Get a reminder the night before collection](/bins/reminders)",
                    "[Add your collection dates to your calendar (.ics)](/bins/collections.ics)",
                ],
                &[],
            ),
        ],
        action: Action::Lookup,
        online_links: &[],
        fields: &[],
    },
    TaskWords {
        task: "pay-council-tax",
        category: "council-tax",
        service: Some(57),
        titles: &[
            "Pay your council tax",
            "Ways to pay your council tax",
            "How to pay your council tax",
            "Paying your council tax",
            "Council tax - account enquiries and payments",
            "Pay council tax",
        ],
        slugs: &[
            "pay-your-council-tax",
            "ways-to-pay-your-council-tax",
            "how-to-pay-your-council-tax",
            "paying-your-council-tax",
            "council-tax-account-enquiries-and-payments",
            "pay-council-tax",
        ],
        az: &["Council tax - paying", "Paying council tax"],
        intro: &[
            "Your council tax bill shows how much you need to pay and when each instalment is due.",
            "There are several ways to pay your council tax.",
        ],
        facts: &[
            (
                "direct-debit",
                &[
                    "The easiest way to pay is by Direct Debit, on the 1st, 15th or 28th of the month.",
                    "[Set up a Direct Debit](/council-tax/direct-debit) to pay in 10 or 12 monthly instalments.",
                ],
                &[],
            ),
            (
                "trouble-paying",
                &[
                    "If you are struggling to pay, contact us as soon as possible so we can agree an arrangement.",
                    "Falling behind with your payments? Our team can help you spread the cost.",
                ],
                &[],
            ),
            (
                "e-billing",
                &[
                    "Sign up for e-billing to receive your bill by email.",
                    "Go paperless and get your bills by email.",
                ],
                &[],
            ),
        ],
        action: Action::Pay,
        online_links: &["Pay your council tax online", "Pay now", "Make a payment"],
        fields: &[
            ("account", "Council tax account number", None),
            ("amount", "Amount to pay", None),
        ],
    },
    TaskWords {
        task: "council-tax-discount",
        category: "council-tax",
        service: Some(57),
        titles: &[
            "Single person discount",
            "Council tax discounts and exemptions",
            "Apply for a discount or exemption",
            "Discounts, reductions and exemptions",
            "Council tax discounts",
            "Apply for discounts and exemptions",
        ],
        slugs: &[
            "single-person-discount",
            "council-tax-discounts-and-exemptions",
            "apply-for-a-discount-or-exemption",
            "discounts-reductions-and-exemptions",
            "council-tax-discounts",
            "apply-for-discounts-and-exemptions",
        ],
        az: &["Single person discount", "Council tax discounts"],
        intro: &[
            "Some households can get money off their council tax bill.",
            "You may be able to pay less council tax depending on who lives with you.",
        ],
        facts: &[
            (
                "eligibility",
                &[
                    "You can claim if you are the only adult (aged 18 or over) living in your home.",
                    "If you live alone you may be able to get a reduction on your bill.",
                ],
                &[],
            ),
            (
                "percentage",
                &[
                    "The discount takes 25% off your bill.",
                    "You will get 25 per cent off your council tax.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &[
            "Apply for the discount online",
            "Apply now",
            "Claim a discount",
        ],
        fields: &[
            ("account", "Council tax account number", None),
            ("moved", "Date you started living alone", None),
        ],
    },
    TaskWords {
        task: "school-place",
        category: "schools",
        service: Some(14),
        titles: &[
            "Apply for a school place",
            "Apply for a secondary school place",
            "Starting secondary school",
            "Primary school places and admissions",
            "Reception applications",
            "Primary school enrolment",
        ],
        slugs: &[
            "apply-for-a-school-place",
            "apply-for-a-secondary-school-place",
            "starting-secondary-school",
            "primary-school-places-and-admissions",
            "reception-applications",
            "primary-school-enrolment",
        ],
        az: &["School admissions", "Schools - applying for a place"],
        intro: &[
            "Apply for a place at a primary, junior or secondary school.",
            "Every child needs an application to start school or move up to secondary school.",
        ],
        facts: &[
            (
                "deadlines",
                &[
                    "The closing date for secondary school applications is 31 October.",
                    "Apply for a primary school place by 15 January.",
                ],
                &[],
            ),
            (
                "offer-day",
                &[
                    "Offers are sent on National Offer Day, 1 March for secondary schools.",
                    "Offers will be made by email on 16 April for primary places.",
                ],
                &[],
            ),
            (
                "late-applications",
                &[
                    "Late applications are considered only after all on-time applications have been dealt with.",
                    "Applications that arrive late go to the back of the queue.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &[
            "Apply online",
            "Apply for a school place online",
            "Start your application",
        ],
        fields: &[
            ("child", "Child's full name", None),
            ("dob", "Child's date of birth", None),
            ("preference1", "First preference school", None),
        ],
    },
    TaskWords {
        task: "planning-applications",
        category: "planning",
        service: Some(516),
        titles: &[
            "View and comment on planning applications",
            "Search for a planning application",
            "View planning applications",
            "Search for, view or comment on a planning application",
            "Search and comment on planning applications",
            "Details of planning applications",
        ],
        slugs: &[
            "view-and-comment-on-planning-applications",
            "search-for-a-planning-application",
            "view-planning-applications",
            "search-for-view-or-comment-on-a-planning-application",
            "search-and-comment-on-planning-applications",
            "details-of-planning-applications",
        ],
        az: &[
            "Planning applications",
            "Planning - comment on an application",
        ],
        intro: &[
            "Find out about planning applications in the area and have your say.",
            "Anyone can look at planning applications and tell us what they think.",
        ],
        facts: &[
            (
                "search-applications",
                &[
                    "[Search planning applications](/planning/search)",
                    "[View and comment on applications](/online-applications/)",
                    "[Use the planning register](/planning-register)",
                ],
                &[],
            ),
            (
                "valid-objections",
                &[
                    "We can only take into account material planning considerations, such as loss of light or traffic.",
                    "Comments must be about planning matters such as design, privacy or road safety.",
                ],
                &[],
            ),
            (
                "comments-published",
                &[
                    "Comments are published on our website with your name and address.",
                    "All comments will be made public, including your name.",
                ],
                &[],
            ),
            (
                "email-alerts",
                &[
                    "Sign up for email alerts about new applications near you.",
                    "You can ask to be notified of new applications in your street.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &["Comment on an application online", "Make a comment"],
        fields: &[
            ("reference", "Application reference", None),
            ("comment", "Your comments", None),
        ],
    },
    TaskWords {
        task: "report-pothole",
        category: "roads",
        service: Some(557),
        titles: &[
            "Report a pothole",
            "Potholes and damaged pavements",
            "Report a pothole or damage to the road surface",
            "Potholes, damaged roads or footpaths",
            "Report potholes in the road and pavement",
            "Report a pothole, or a road or pathway problem",
        ],
        slugs: &[
            "report-a-pothole",
            "potholes-and-damaged-pavements",
            "report-a-pothole-or-damage-to-the-road-surface",
            "potholes-damaged-roads-or-footpaths",
            "report-potholes-in-the-road-and-pavement",
            "report-a-pothole-or-a-road-or-pathway-problem",
        ],
        az: &["Potholes", "Roads - potholes and defects"],
        intro: &[
            "Tell us about a pothole or other problem with a road or pavement.",
            "We inspect our roads regularly, but we rely on you to tell us about new problems.",
        ],
        facts: &[
            (
                "map-location",
                &[
                    "Use our map to show us exactly where the pothole is.",
                    "Tell us the location, for example the nearest house number or lamp post.",
                ],
                &[],
            ),
            (
                "repair-times",
                &[
                    "Dangerous potholes are made safe within 24 hours.",
                    "We aim to repair potholes within 28 days, depending on how serious they are.",
                ],
                &[],
            ),
            (
                "damage-claims",
                &[
                    "If your vehicle was damaged by a pothole you can make a claim.",
                    "Find out how to claim compensation for damage to your car or bike.",
                ],
                &[],
            ),
        ],
        action: Action::Report,
        online_links: &["Report a pothole online", "Report it", "Start now"],
        fields: &[
            ("where", "Location of the pothole", Some("map-location")),
            ("size", "How big is it?", None),
        ],
    },
    TaskWords {
        task: "blue-badge",
        category: "care",
        service: Some(279),
        titles: &[
            "Apply for a Blue Badge",
            "Blue Badges",
            "Blue Badge scheme",
            "Blue badges (disabled parking permits)",
            "Apply for a disabled (Blue Badge) parking permit",
            "Blue Badge parking scheme for disabled people",
        ],
        slugs: &[
            "apply-for-a-blue-badge",
            "blue-badges",
            "blue-badge-scheme",
            "blue-badges-disabled-parking-permits",
            "apply-for-a-disabled-blue-badge-parking-permit",
            "blue-badge-parking-scheme-for-disabled-people",
        ],
        az: &["Blue Badge", "Disabled parking - Blue Badge"],
        intro: &[
            "A Blue Badge lets people with severe mobility problems park closer to where they need to go.",
            "Badges help disabled people park near shops, stations and other places.",
        ],
        facts: &[
            (
                "eligibility",
                &[
                    "You are automatically eligible if you get the higher rate of the mobility part of PIP.",
                    "Find out who can apply and whether you qualify.",
                ],
                &[],
            ),
            (
                "documents",
                &[
                    "You will need a recent digital photo and proof of identity.",
                    "Have proof of address and a photograph ready before you start.",
                ],
                &[],
            ),
            (
                "fee",
                &[
                    "A badge costs £10 and lasts up to three years.",
                    "There is no fee for a badge.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &[
            "Apply for a Blue Badge online",
            "Apply now",
            "Start your application",
        ],
        fields: &[
            ("name", "Full name", None),
            ("nino", "National Insurance number", None),
        ],
    },
    TaskWords {
        task: "housing-benefit",
        category: "benefits",
        service: Some(69),
        titles: &[
            "Apply for Housing Benefit",
            "Make a Housing Benefit claim",
            "Housing Benefit and Council Tax Reduction claims",
            "Who can claim Housing Benefit?",
            "Apply for Housing Benefit and Council Tax Reduction",
            "Benefit application form",
        ],
        slugs: &[
            "apply-for-housing-benefit",
            "make-a-housing-benefit-claim",
            "housing-benefit-and-council-tax-reduction-claims",
            "who-can-claim-housing-benefit",
            "apply-for-housing-benefit-and-council-tax-reduction",
            "benefit-application-form",
        ],
        az: &["Housing Benefit", "Benefits - Housing Benefit"],
        intro: &[
            "Housing Benefit helps people on a low income pay their rent.",
            "You could get help with your rent if you are on a low income.",
        ],
        facts: &[
            (
                "universal-credit",
                &[
                    "Most new claims for help with rent are now made through Universal Credit.",
                    "If you are of working age you may need to claim Universal Credit instead.",
                ],
                &[],
            ),
            (
                "calculator",
                &[
                    "[Use a benefits calculator](/benefits/calculator)",
                    "[Check if you could get help](/benefits/check-eligibility)",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &[
            "Apply for Housing Benefit online",
            "Make a claim",
            "Start a claim",
        ],
        fields: &[("name", "Full name", None), ("rent", "Weekly rent", None)],
    },
    TaskWords {
        task: "find-councillor",
        category: "democracy",
        service: Some(358),
        titles: &[
            "Find your councillor",
            "Your councillors",
            "Local councillors",
            "Councillors and wards",
            "Find a councillor",
            "Councillors",
        ],
        slugs: &[
            "find-your-councillor",
            "your-councillors",
            "local-councillors",
            "councillors-and-wards",
            "find-a-councillor",
            "councillors",
        ],
        az: &["Councillors", "Find your councillor"],
        intro: &[
            "Councillors are elected to represent the people of each ward.",
            "Your councillor can help with problems and speak for your area.",
        ],
        facts: &[
            (
                "postcode-lookup",
                &[
                    "@lookup:postcode|Enter your postcode",
                    "@lookup:address|Your address",
                ],
                &["Councillors are listed below by ward."],
            ),
            (
                "party-control",
                &[
                    "The council has no overall control; the largest group is the Independents.",
                    "Political composition: 24 Labour, 18 Conservative, 6 Liberal Democrat and 3 Green councillors.",
                ],
                &[],
            ),
            (
                "contact-details",
                &[
                    "Each councillor's phone number and email address is on their page.",
                    "Contact details (telephone and email) are shown for every councillor.",
                ],
                &[],
            ),
        ],
        action: Action::Lookup,
        online_links: &[],
        fields: &[],
    },
    TaskWords {
        task: "register-to-vote",
        category: "elections",
        service: None,
        titles: &[
            "Register to vote",
            "Registering to vote",
            "Electoral register",
            "Register to vote and the electoral register",
            "How to register to vote",
        ],
        slugs: &[
            "register-to-vote",
            "registering-to-vote",
            "electoral-register",
            "register-to-vote-and-the-electoral-register",
            "how-to-register-to-vote",
        ],
        az: &["Electoral registration", "Register to vote"],
        intro: &[
            "You need to be on the electoral register to vote in elections and referendums.",
            "Make sure you can have your say at the ballot box.",
        ],
        facts: &[
            (
                "gov-uk-link",
                &[
                    "[Register to vote online](/elections/register-online)",
                    "[Register now](/elections/register-online)",
                ],
                &[],
            ),
            (
                "deadline",
                &[
                    "The deadline to register for the next election is midnight, 12 working days before polling day.",
                    "You must be registered by the deadline to vote in the next election.",
                ],
                &[],
            ),
            (
                "postal-vote",
                &[
                    "You can apply for a postal vote or a proxy vote if you cannot get to your polling station.",
                    "Find out about postal voting and voting by proxy.",
                ],
                &[],
            ),
        ],
        action: Action::Info,
        online_links: &[],
        fields: &[],
    },
    TaskWords {
        task: "parking-fine",
        category: "parking",
        service: Some(471),
        titles: &[
            "Pay or challenge a parking fine",
            "Parking fines",
            "Penalty charge notices",
            "Pay or challenge a penalty charge notice (PCN)",
            "Paying a parking fine",
            "Parking tickets",
        ],
        slugs: &[
            "pay-or-challenge-a-parking-fine",
            "parking-fines",
            "penalty-charge-notices",
            "pay-or-challenge-a-penalty-charge-notice-pcn",
            "paying-a-parking-fine",
            "parking-tickets",
        ],
        az: &["Parking fines", "Penalty charge notices"],
        intro: &[
            "Our civil enforcement officers issue penalty charge notices (PCNs) to vehicles parked illegally.",
            "If you have been given a parking ticket you need to deal with it.",
        ],
        facts: &[
            (
                "challenge",
                &[
                    "If you think the ticket was issued unfairly you can challenge it.",
                    "You can dispute a penalty charge notice by making an informal representation.",
                ],
                &[],
            ),
            (
                "discount-period",
                &[
                    "Pay within 14 days and the charge is reduced by 50%.",
                    "The fine is halved if you pay within fourteen days.",
                ],
                &[],
            ),
        ],
        action: Action::Pay,
        online_links: &["Pay a parking fine online", "Pay now", "Pay your PCN"],
        fields: &[
            ("pcn", "Penalty charge notice number", None),
            ("vrm", "Vehicle registration", None),
        ],
    },
    TaskWords {
        task: "renew-library-book",
        category: "libraries",
        service: Some(437),
        titles: &[
            "Renew your books",
            "Renewing items",
            "Renew, borrow and reserve items",
            "Renewal of loans",
            "Reserve, renew or return a library item",
            "Your library account",
        ],
        slugs: &[
            "renew-your-books",
            "renewing-items",
            "renew-borrow-and-reserve-items",
            "renewal-of-loans",
            "reserve-renew-or-return-a-library-item",
            "your-library-account",
        ],
        az: &["Library renewals", "Libraries - renewing books"],
        intro: &[
            "You can renew items you have borrowed so you can keep them for longer.",
            "Need more time with a book? Renew it.",
        ],
        facts: &[
            (
                "catalogue-link",
                &[
                    "[Search the library catalogue](/libraries/catalogue)",
                    "[Log in to your library account](/libraries/account)",
                ],
                &[],
            ),
            (
                "loan-period",
                &[
                    "Books can be borrowed for three weeks and renewed up to 5 times.",
                    "The loan period is four weeks for books and one week for DVDs.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &["Renew online", "Renew your items"],
        fields: &[("card", "Library card number", None), ("pin", "PIN", None)],
    },
    TaskWords {
        task: "bulky-waste",
        category: "waste",
        service: Some(528),
        titles: &[
            "Bulky waste collections",
            "Bulky items collection",
            "Bulky household waste collection",
            "Book a bulky waste collection",
            "Disposal of large household items (bulky waste)",
            "Bulky uplifts",
        ],
        slugs: &[
            "bulky-waste-collections",
            "bulky-items-collection",
            "bulky-household-waste-collection",
            "book-a-bulky-waste-collection",
            "disposal-of-large-household-items-bulky-waste",
            "bulky-uplifts",
        ],
        az: &["Bulky waste", "Large household items"],
        intro: &[
            "We collect large household items that are too big for your bin.",
            "Book a collection for furniture and appliances you no longer need.",
        ],
        facts: &[
            (
                "prices",
                &[
                    "Collection of up to three items costs £35.",
                    "Charges start at £22 for one item.",
                ],
                &[],
            ),
            (
                "what-items",
                &[
                    "We can collect sofas, fridges, mattresses and wardrobes.",
                    "We cannot collect building rubble, car parts or paint.",
                ],
                &[],
            ),
        ],
        action: Action::Book,
        online_links: &["Book a collection online", "Book now", "Book and pay"],
        fields: &[
            ("address", "Collection address", None),
            ("items", "Items to collect", None),
        ],
    },
    TaskWords {
        task: "report-fly-tipping",
        category: "environment",
        service: None,
        titles: &[
            "Report fly-tipping",
            "Fly-tipping (dumped rubbish)",
            "Report dumped rubbish",
            "Report a fly-tip",
            "Fly-tipping: illegal dumping of waste",
            "Reporting fly-tipping",
        ],
        slugs: &[
            "report-fly-tipping",
            "fly-tipping-dumped-rubbish",
            "report-dumped-rubbish",
            "report-a-fly-tip",
            "fly-tipping-illegal-dumping-of-waste",
            "reporting-fly-tipping",
        ],
        az: &["Fly-tipping", "Dumped rubbish (fly-tipping)"],
        intro: &[
            "Fly-tipping is the illegal dumping of rubbish on land that has no licence to take it.",
            "Dumped rubbish spoils our streets. Help us clear it up.",
        ],
        facts: &[
            (
                "what-to-report",
                &[
                    "Tell us the location and what has been dumped.",
                    "If you can, include a photo and any vehicle registration you saw.",
                ],
                &[],
            ),
            (
                "do-not-touch",
                &[
                    "Do not touch the rubbish: it may be hazardous.",
                    "Please don't move or handle anything that has been dumped.",
                ],
                &[],
            ),
        ],
        action: Action::Report,
        online_links: &["Report fly-tipping online", "Report it", "Tell us about it"],
        fields: &[
            ("where", "Where is it?", Some("what-to-report")),
            ("what", "What has been dumped?", Some("what-to-report")),
        ],
    },
    TaskWords {
        task: "bus-pass",
        category: "transport",
        service: None,
        titles: &[
            "Apply for an older person's bus pass",
            "Free bus passes for older and disabled people",
            "Concessionary travel scheme",
            "Older person's bus pass",
            "Concessionary fares - are you eligible for a bus pass",
            "Freedom Pass",
        ],
        slugs: &[
            "apply-for-an-older-persons-bus-pass",
            "free-bus-passes-for-older-and-disabled-people",
            "concessionary-travel-scheme",
            "older-persons-bus-pass",
            "concessionary-fares-are-you-eligible-for-a-bus-pass",
            "freedom-pass",
        ],
        az: &["Bus passes", "Concessionary travel"],
        intro: &[
            "Older residents can travel free on local buses.",
            "A free bus pass helps you get out and about.",
        ],
        facts: &[
            (
                "eligibility-age",
                &[
                    "You can get a pass once you reach State Pension age.",
                    "You are eligible if you live in the area and are 60 or over.",
                ],
                &[],
            ),
            (
                "travel-times",
                &[
                    "Passes can be used from 9.30am on weekdays and all day at weekends and bank holidays.",
                    "Travel is free at off-peak times.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &["Apply for a bus pass online", "Apply now"],
        fields: &[("name", "Full name", None), ("dob", "Date of birth", None)],
    },
    TaskWords {
        task: "job-vacancies",
        category: "jobs",
        service: None,
        titles: &[
            "Our vacancies",
            "Current vacancies",
            "Job vacancies",
            "Why work for us?",
            "Jobs at the council",
            "Applying for a job with the council",
        ],
        slugs: &[
            "our-vacancies",
            "current-vacancies",
            "job-vacancies",
            "why-work-for-us",
            "jobs-at-the-council",
            "applying-for-a-job-with-the-council",
        ],
        az: &["Jobs", "Vacancies"],
        intro: &[
            "We employ over 2,000 people in a wide range of roles.",
            "Join a team that makes a difference to local people.",
        ],
        facts: &[
            (
                "vacancy-list",
                &[
                    "[View current vacancies](/jobs/current-vacancies)",
                    "[Search jobs](/jobs/search)",
                ],
                &[],
            ),
            (
                "apply-online",
                &[
                    "You can apply online for all our jobs.",
                    "Most posts need an online application.",
                ],
                &[],
            ),
            (
                "job-alerts",
                &[
                    "Sign up for job alerts by email.",
                    "Get job alerts sent to your inbox.",
                ],
                &[],
            ),
        ],
        action: Action::Info,
        online_links: &[],
        fields: &[],
    },
    TaskWords {
        task: "school-term-dates",
        category: "schools",
        service: Some(36),
        titles: &[
            "School term dates",
            "School term and holiday dates",
            "School holidays",
            "School terms, holiday dates and closures",
            "School calendar",
            "Term, holiday and closure dates",
        ],
        slugs: &[
            "school-term-dates",
            "school-term-and-holiday-dates",
            "school-holidays",
            "school-terms-holiday-dates-and-closures",
            "school-calendar",
            "term-holiday-and-closure-dates",
        ],
        az: &["School term dates", "Term dates", "School holidays"],
        intro: &[
            "These are the dates the council sets for community and voluntary controlled schools.",
            "Plan family time around the school year with the dates below.",
        ],
        facts: &[
            (
                "dates-listed",
                &[
                    "Autumn term starts on Wednesday 3 September and ends on Friday 19 December, with half term from 27 to 31 October.",
                    "Spring term runs from 5 January to 27 March, with half term from 16 to 20 February; summer term starts on 13 April.",
                ],
                &[
                    "The dates for the coming school year will appear here once they have been agreed.",
                ],
            ),
            (
                "inset-days",
                &[
                    "Each school also closes for five training days, known as INSET days.",
                    "Schools have five INSET days a year for staff training.",
                ],
                &[],
            ),
            (
                "own-dates",
                &[
                    "Academies, free schools and voluntary aided schools may set different dates.",
                    "Some schools, such as academies, set their own dates.",
                ],
                &[],
            ),
            (
                "calendar-download",
                &[
                    "[Download the term dates (PDF)](/schools/term-dates.pdf)",
                    "[Add the term dates to your calendar (.ics)](/schools/term-dates.ics)",
                ],
                &[],
            ),
        ],
        action: Action::Info,
        online_links: &[],
        fields: &[],
    },
    TaskWords {
        task: "pay-business-rates",
        category: "business",
        service: Some(55),
        titles: &[
            "Pay your business rates",
            "Paying your business rates",
            "Ways to pay your business rates",
            "Pay business rates",
            "Business rates payments",
        ],
        slugs: &[
            "pay-your-business-rates",
            "paying-your-business-rates",
            "ways-to-pay-your-business-rates",
            "pay-business-rates",
            "business-rates-payments",
        ],
        az: &["Business rates", "Business rates - paying"],
        intro: &[
            "Businesses pay rates on the property they use.",
            "The council collects business rates on behalf of the government.",
        ],
        facts: &[
            (
                "direct-debit",
                &[
                    "The easiest way to pay is by Direct Debit.",
                    "Set up a Direct Debit and we will collect each payment for you.",
                ],
                &[],
            ),
            (
                "instalments",
                &[
                    "You can spread the bill over 10 or 12 monthly instalments.",
                    "Most businesses pay in ten monthly instalments from April.",
                ],
                &[],
            ),
        ],
        action: Action::Pay,
        online_links: &[
            "Pay your business rates online",
            "Pay now",
            "Make a payment",
        ],
        fields: &[
            ("account", "Business rates account number", None),
            ("amount", "Amount", None),
        ],
    },
    TaskWords {
        task: "register-birth",
        category: "registration",
        service: None,
        titles: &[
            "Register a birth",
            "Registering a birth",
            "How to register a birth",
            "Birth registration",
            "Register your baby's birth",
        ],
        slugs: &[
            "register-a-birth",
            "registering-a-birth",
            "how-to-register-a-birth",
            "birth-registration",
            "register-your-babys-birth",
        ],
        az: &[
            "Births - registering",
            "Register a birth",
            "Birth registration",
        ],
        intro: &[
            "Congratulations on the arrival of your baby.",
            "Every birth has to be registered by law.",
        ],
        facts: &[
            (
                "appointment",
                &[
                    "Book an appointment online with the register office.",
                    "You need to make an appointment; call us or use the online booking.",
                ],
                &[],
            ),
            (
                "time-limit",
                &[
                    "You must register the birth within 42 days.",
                    "By law a birth must be registered within six weeks.",
                ],
                &[],
            ),
            (
                "documents",
                &[
                    "Bring your passport or driving licence and the baby's red book.",
                    "Please bring proof of identity, such as a passport.",
                ],
                &[],
            ),
            (
                "who-can-register",
                &[
                    "If the parents are not married, both parents should come if the father's details are to be recorded.",
                    "Either parent can register the birth if the parents were married when the baby was born.",
                ],
                &[],
            ),
        ],
        action: Action::Apply,
        online_links: &["Start now", "Make a booking", "Use the online form"],
        fields: &[
            ("dob", "Baby's date of birth", None),
            ("place", "Place of birth", None),
            ("name", "Your name", None),
        ],
    },
    TaskWords {
        task: "resident-parking-permit",
        category: "parking",
        service: Some(474),
        titles: &[
            "Resident parking permits",
            "Apply for a resident parking permit",
            "Residents' parking permits",
            "Residents permits",
            "Apply for or renew a resident permit",
            "Residential parking scheme",
        ],
        slugs: &[
            "resident-parking-permits",
            "apply-for-a-resident-parking-permit",
            "residents-parking-permits",
            "residents-permits",
            "apply-for-or-renew-a-resident-permit",
            "residential-parking-scheme",
        ],
        az: &["Parking permits", "Residents' parking permits"],
        intro: &[
            "A permit lets you park on the street near your home.",
            "In some streets only residents with a permit may park.",
        ],
        facts: &[
            (
                "zones",
                &[
                    "Permits are only issued in our controlled parking zones.",
                    "Use the zone map to check whether your street is in a permit zone.",
                ],
                &[],
            ),
            (
                "prices",
                &[
                    "A first permit costs £40 a year and a second one £70.",
                    "Permits cost £25 for six months.",
                ],
                &[],
            ),
            (
                "visitor-permits",
                &[
                    "Visitor permits can be bought in books of ten.",
                    "You can buy visitor vouchers for friends and family.",
                ],
                &[],
            ),
        ],
        action: Action::Pay,
        online_links: &[
            "Apply for a permit online",
            "Apply or renew online",
            "Apply now",
        ],
        fields: &[
            ("reg", "Vehicle registration", None),
            ("address", "Your address", None),
        ],
    },
];

/// Info pages for services that have no top task of their own (coverage only).
pub const SERVICE_PAGES: &[(u32, &str, &[&str], &str)] = &[
    (
        533,
        "waste",
        &[
            "Recycling",
            "What goes in your recycling bin",
            "Recycling collections",
        ],
        "Rinse tins, cans and plastic bottles and put them loose in your recycling bin.",
    ),
    (
        530,
        "waste",
        &[
            "Garden waste",
            "Garden waste collections",
            "Green bin subscriptions",
        ],
        "Subscribe each year to have your garden waste collected every two weeks.",
    ),
    (
        437,
        "libraries",
        &[
            "Find a library",
            "Library branches and opening times",
            "Our libraries",
        ],
        "Our branches offer books, computers, study space and activities for children.",
    ),
    (
        55,
        "council-tax",
        &[
            "Business rates",
            "Pay your business rates",
            "Non-domestic rates",
        ],
        "Businesses pay rates on the property they use; small firms may get relief.",
    ),
    (
        92,
        "housing",
        &[
            "Apply for council housing",
            "Join the housing register",
            "Social housing",
        ],
        "Join the register to bid for council and housing association homes that come up.",
    ),
    (
        112,
        "housing",
        &[
            "Homelessness advice",
            "If you are homeless or about to be",
            "Help if you are homeless",
        ],
        "Contact us as soon as you know you may lose your home: the sooner we know, the more we can do.",
    ),
    (
        151,
        "housing",
        &[
            "Right to Buy",
            "Buying your council home",
            "Right to Buy your home",
        ],
        "Council tenants of three years or more may be able to buy their home at a discount.",
    ),
    (
        137,
        "housing",
        &[
            "Disabled Facilities Grant",
            "Grants to adapt your home",
            "Home adaptations grant",
        ],
        "A grant can pay for ramps, stairlifts or a level-access shower so you can stay in your home.",
    ),
    (
        372,
        "environment",
        &[
            "Abandoned vehicles",
            "Report an abandoned vehicle",
            "Dumped cars",
        ],
        "Tell us about a car that has not moved for weeks, has no keeper or is burnt out.",
    ),
    (
        412,
        "environment",
        &[
            "Noise nuisance",
            "Noise complaints",
            "Report noise from a neighbour",
        ],
        "Keep a diary of the noise: when it starts, how long it lasts and how it affects you.",
    ),
    (
        431,
        "environment",
        &[
            "Pest control",
            "Rats, mice and wasps",
            "Pest control service",
        ],
        "We treat rats, mice, wasps and fleas in homes; there is a charge for some treatments.",
    ),
    (
        432,
        "environment",
        &["Dog warden", "Stray dogs", "Lost and found dogs"],
        "Our dog warden collects stray dogs and reunites them with their owners.",
    ),
    (
        499,
        "planning",
        &[
            "Building regulations",
            "Building control",
            "Do I need building regulations approval?",
        ],
        "Most building work needs approval so that it is safe, warm and accessible.",
    ),
    (
        508,
        "planning",
        &[
            "Tree preservation orders",
            "Protected trees",
            "Trees in conservation areas",
        ],
        "You need our consent before cutting or felling a protected tree.",
    ),
    (
        510,
        "leisure",
        &["Allotments", "Rent an allotment", "Allotment sites"],
        "Plots come in full and half sizes; join the waiting list for the site nearest you.",
    ),
    (
        577,
        "environment",
        &["Dog fouling", "Report dog fouling", "Dog mess"],
        "Owners must clear up after their dogs; you can be fined if you do not.",
    ),
    (
        580,
        "environment",
        &[
            "Street cleaning",
            "Litter and street sweeping",
            "Clean streets",
        ],
        "Town centres are swept daily and residential roads every few weeks.",
    ),
    (
        584,
        "environment",
        &["Graffiti", "Report graffiti", "Graffiti removal"],
        "We remove offensive graffiti from public places within one working day.",
    ),
    (
        860,
        "business",
        &[
            "Alcohol and entertainment licences",
            "Premises licences",
            "Licensing: alcohol and entertainment",
        ],
        "Pubs, shops and venues need a premises licence to sell alcohol or put on events.",
    ),
    (
        36,
        "schools",
        &[
            "School term dates",
            "Term and holiday dates",
            "School holidays",
        ],
        "Dates for the autumn, spring and summer terms, and training days.",
    ),
    (
        4,
        "schools",
        &[
            "Free school meals",
            "Apply for free school meals",
            "School meals",
        ],
        "Children whose families get certain benefits can have a free lunch at school.",
    ),
    (
        3,
        "schools",
        &[
            "School transport",
            "Home to school travel",
            "Travel to school",
        ],
        "Children who live beyond walking distance of their nearest school may get free transport.",
    ),
    (
        9,
        "schools",
        &[
            "Special educational needs",
            "SEND support",
            "Special educational needs and disabilities",
        ],
        "Find out how schools support children with special educational needs and how to ask for an assessment.",
    ),
    (
        1741,
        "children",
        &[
            "Free early education and childcare",
            "Free childcare for 2 to 4 year olds",
            "Funded childcare",
        ],
        "Many families can get free hours of childcare for children under five.",
    ),
    (
        159,
        "children",
        &["Fostering", "Become a foster carer", "Foster with us"],
        "Foster carers give children a safe home for a night, a few months or years.",
    ),
    (
        160,
        "children",
        &["Adoption", "Adopt a child", "Thinking about adoption"],
        "Adoption gives a child a permanent family; we support you through every step.",
    ),
    (
        209,
        "care",
        &[
            "Adult social care assessment",
            "Ask for a care needs assessment",
            "Getting help at home",
        ],
        "We talk with you about what you find hard day to day and what would help.",
    ),
    (
        448,
        "libraries",
        &["Archives", "Record office", "Local history and archives"],
        "Visit the searchroom to look at parish registers, maps and old photographs.",
    ),
    (
        564,
        "roads",
        &[
            "Street lights",
            "Report a faulty street light",
            "Street lighting",
        ],
        "Tell us the number on the lamp post and what is wrong with the light.",
    ),
    (
        561,
        "roads",
        &[
            "Road gritting",
            "Winter gritting routes",
            "Gritting and snow",
        ],
        "Priority routes are gritted when frost or snow is forecast; grit bins are refilled each winter.",
    ),
    (
        477,
        "roads",
        &[
            "Dropped kerbs",
            "Apply for a dropped kerb",
            "Vehicle crossings",
        ],
        "You need our permission to lower the kerb so you can drive onto your property.",
    ),
    (
        474,
        "parking",
        &[
            "Parking permits",
            "Residents' parking permits",
            "Apply for a parking permit",
        ],
        "Residents in a permit zone can buy permits for their own cars and for visitors.",
    ),
    (
        353,
        "democracy",
        &[
            "Complaints",
            "Make a complaint",
            "Comments, compliments and complaints",
        ],
        "Tell us what went wrong and what you would like us to do; we reply within ten working days.",
    ),
    (
        461,
        "leisure",
        &[
            "Parks and open spaces",
            "Our parks",
            "Parks and countryside",
        ],
        "Find a park near you, with play areas, sports pitches and nature trails.",
    ),
    (
        867,
        "democracy",
        &["Consultations", "Have your say", "Current consultations"],
        "Tell us what you think about our plans before we make decisions.",
    ),
];

/// Sentences for the "no online form" routes.
pub const PDF_ROUTE: &[&str] = &[
    "Download the [application form (PDF, 84KB)]({pdf}), fill it in and post it to us.",
    "Print and complete the [paper form (PDF)]({pdf}) and send it to the address on the form.",
];
/// Phone-only routes.
pub const PHONE_ROUTE: &[&str] = &[
    "Please call us on 0300 555 0199, Monday to Friday, 9am to 5pm.",
    "To do this, phone our customer services team on 01632 960 481.",
];

/// Sentences that date a page: `{year}` is an old year and `{date}` an old date.
pub const STALE: &[&str] = &[
    "Christmas collection dates for {year} are now available.",
    "This information was correct in {year}.",
    "Charges for {year}/{next} are shown below.",
    "Our offices will be closed over the {year} bank holidays.",
];

/// Filler news headlines for news pages.
pub const NEWS: &[&str] = &[
    "New play area opens in the town park",
    "Budget consultation: tell us your priorities",
    "Volunteers honoured at civic awards",
    "Leisure centre refurbishment completed",
    "Free family activities this summer",
    "Community grants now open",
    "Council meeting dates announced",
    "Town centre market returns",
    "Tree planting season begins",
    "Youth council elected",
];
