import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from './actor';
import { AuthService } from './auth.service';
import { CurrentActor } from './current-actor.decorator';
import { ANY_ROLE, Roles } from './roles.decorator';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly svc: AuthService) {}

  @Get('me')
  @Roles(...ANY_ROLE)
  @ApiOkResponse({
    description: 'Who the token belongs to, their role, assigned projects and tokens (never their secrets)',
    schema: {
      example: {
        id: 1,
        name: 'Ada Finance',
        email: 'ada@example.org',
        role: 'finance',
        active: true,
        projects: [],
        tokens: [{ publicId: 'Ab12Cd34Ef56Gh78', expiresAt: '2026-01-01T00:00:00.000Z' }],
      },
    },
  })
  me(@CurrentActor() actor: Actor) {
    return this.svc.me(actor);
  }
}
