// Copies of Kratos' `ory://identity-extension` and `ory://identity-meta` (Apache-2.0), kept in code so
// that loading needs no file next to the compiled output.

export const IDENTITY_EXTENSION_SCHEMA = {
  $id: 'ory://identity-extension',
  $schema: 'http://json-schema.org/draft-07/schema#',
  allOf: [
    {
      properties: {
        'ory.sh/kratos': {
          type: 'object',
          additionalProperties: false,
          properties: {
            credentials: {
              type: 'object',
              additionalProperties: false,
              properties: {
                password: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    identifier: {
                      type: 'boolean',
                    },
                  },
                },
                webauthn: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    identifier: {
                      type: 'boolean',
                    },
                  },
                },
                passkey: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    display_name: {
                      type: 'boolean',
                    },
                  },
                },
                totp: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    account_name: {
                      type: 'boolean',
                    },
                  },
                },
                code: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    identifier: {
                      type: 'boolean',
                    },
                    via: {
                      type: 'string',
                      enum: ['email', 'sms'],
                    },
                  },
                },
              },
            },
            verification: {
              type: 'object',
              additionalProperties: false,
              properties: {
                via: {
                  type: 'string',
                  enum: ['email', 'sms'],
                },
              },
            },
            recovery: {
              type: 'object',
              additionalProperties: false,
              properties: {
                via: {
                  type: 'string',
                  enum: ['email', 'sms'],
                },
              },
            },
            organizations: {
              type: 'object',
              additionalProperties: false,
              properties: {
                matcher: {
                  type: 'string',
                  enum: ['email_domain'],
                },
              },
            },
          },
        },
      },
    },
    {
      patternProperties: {
        '.*': {
          $ref: '#',
        },
      },
    },
  ],
} as const;

export const IDENTITY_META_SCHEMA = {
  $id: 'ory://identity-meta',
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  allOf: [
    {
      $ref: 'http://json-schema.org/draft-07/schema#',
    },
    {
      properties: {
        properties: {
          type: 'object',
          required: ['traits'],
          properties: {
            traits: {
              type: 'object',
              required: ['properties'],
              properties: {
                type: {
                  const: 'object',
                },
                properties: {
                  type: 'object',
                  minProperties: 1,
                  patternProperties: {
                    '.*': {
                      type: 'object',
                      if: {
                        properties: {
                          'ory.sh/kratos': {
                            type: 'object',
                            properties: {
                              verification: {},
                            },
                            required: ['verification'],
                          },
                        },
                        required: ['ory.sh/kratos'],
                      },
                      then: {
                        properties: {
                          format: {
                            enum: ['email', 'tel', 'date', 'time', 'date-time', 'no-validate'],
                          },
                        },
                      },
                      allOf: [
                        {
                          $ref: 'ory://identity-extension',
                        },
                      ],
                    },
                  },
                },
              },
            },
          },
        },
      },
      required: ['properties'],
    },
  ],
} as const;
