/** Words the generator draws names from: plausible, and plainly not real schemes. */
export const PLACE_PARTS = {
  start: [
    'North',
    'South',
    'East',
    'West',
    'Upper',
    'Lower',
    'Great',
    'Little',
    'Kings',
    'Market',
    'New',
    'Old',
    'High',
    'Long',
  ],
  end: [
    'ford',
    'bury',
    'ton',
    'ley',
    'field',
    'wick',
    'minster',
    'brook',
    'gate',
    'moor',
    'dale',
    'bridge',
    'haven',
    'worth',
    'stow',
  ],
};

export const AREA_WORDS = [
  'Vale',
  'Valley',
  'Coast',
  'Marches',
  'Plain',
  'Hills',
  'Forest',
  'Shire',
  'Fens',
  'Downs',
  'Peaks',
  'Estuary',
  'Moors',
];

export const THEME_LIBRARY: readonly { code: string; name: string }[] = [
  { code: 'SITES', name: 'Unlocking employment sites' },
  { code: 'TRANSPORT', name: 'Connectivity and transport' },
  { code: 'SKILLS', name: 'Skills capital' },
  { code: 'INNOVATION', name: 'Innovation and enterprise' },
  { code: 'HOUSING', name: 'Housing growth' },
  { code: 'DIGITAL', name: 'Digital infrastructure' },
  { code: 'FLOOD', name: 'Flood defence and resilience' },
  { code: 'TOWNS', name: 'Town centre regeneration' },
];

export const SCHEME_KINDS: Record<string, readonly string[]> = {
  SITES: [
    'Enterprise Zone infrastructure',
    'Business Park access',
    'Employment land remediation',
    'Industrial estate expansion',
  ],
  TRANSPORT: [
    'Link Road',
    'Junction Improvement',
    'Rail Station upgrade',
    'Sustainable Transport package',
    'Bus Interchange',
  ],
  SKILLS: ['Skills Hub', 'College Engineering Centre', 'Apprenticeship Training Centre', 'STEM Centre'],
  INNOVATION: ['Innovation Centre', 'Science Park phase', 'Advanced Manufacturing Hub', 'Growth Hub'],
  HOUSING: ['Housing infrastructure', 'Urban extension access', 'Brownfield housing site'],
  DIGITAL: ['Superfast broadband extension', 'Digital Innovation Centre', 'Full-fibre network'],
  FLOOD: ['Flood Alleviation Scheme', 'Flood defence works'],
  TOWNS: ['Town Centre public realm', 'High Street regeneration', 'Market Hall refurbishment'],
};

export const PROGRAMME_KINDS = ['Growth Deal', 'Growth Deal expansion', 'Growth Deal 3'] as const;
