import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { ChainNode } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { CHAIN_NODE } from './lcd.controller.js';
import { lcdError, lcdQuery } from './lcd.js';
import { contentJson, contentKeyJson, grantJson, grantsJson, keyHolderJson } from './grants-json.js';

const pb = trucom.grants.v1;
const decoder =
  <T>(type: { decode(b: Uint8Array): T }) =>
  (b: Uint8Array): T =>
    type.decode(b);

/**
 * Content-key grants over REST: contents with their key holders, a content's grants, a viewer's
 * grants, sealed keys and key holders. `active` is judged at the last committed block (`height`).
 * Unknown → 404, malformed → 400 (grpc-gateway error bodies).
 */
@Controller('trucom/grants/v1')
export class GrantsController {
  constructor(@Inject(CHAIN_NODE) private readonly node: ChainNode) {}

  @Get('contents/:content')
  async content(@Param('content') content: string) {
    return contentJson(await lcdQuery(this.node, '/trucom.grants.v1.Query/Content', pb.QueryContentRequest.encode({ content }).finish(), decoder(pb.QueryContentResponse)));
  }

  @Get('contents/:content/grants')
  async grants(@Param('content') content: string) {
    const r = await lcdQuery(this.node, '/trucom.grants.v1.Query/Grants', pb.QueryGrantsRequest.encode({ content }).finish(), decoder(pb.QueryGrantsResponse));
    return { content, ...grantsJson(r) };
  }

  @Get('contents/:content/grants/:grantee')
  async grant(@Param('content') content: string, @Param('grantee') grantee: string) {
    const r = await lcdQuery(this.node, '/trucom.grants.v1.Query/Grant', pb.QueryGrantRequest.encode({ content, grantee }).finish(), decoder(pb.QueryGrantResponse));
    return { ...grantJson(r.grant!, r.active), height: r.height };
  }

  /** The key of `key_id` sealed to `holder` (a key-holder gateway's address). */
  @Get('contents/:content/keys/:keyId/:holder')
  async contentKey(@Param('content') content: string, @Param('keyId') keyId: string, @Param('holder') holder: string) {
    const r = await lcdQuery(this.node, '/trucom.grants.v1.Query/ContentKey', pb.QueryContentKeyRequest.encode({ content, keyId, holder }).finish(), decoder(pb.QueryContentKeyResponse));
    return contentKeyJson(r.key!);
  }

  @Get('grants')
  async grantsOf(@Query('grantee') grantee: string | undefined) {
    if (!grantee) throw lcdError(400, 3, 'grantee is required');
    const r = await lcdQuery(this.node, '/trucom.grants.v1.Query/GrantsOf', pb.QueryGrantsOfRequest.encode({ grantee }).finish(), decoder(pb.QueryGrantsResponse));
    return { grantee, ...grantsJson(r) };
  }

  @Get('key_holders')
  async keyHolders() {
    const r = await lcdQuery(this.node, '/trucom.grants.v1.Query/KeyHolders', pb.QueryKeyHoldersRequest.encode({}).finish(), decoder(pb.QueryKeyHoldersResponse));
    return { key_holders: r.keyHolders.map(keyHolderJson) };
  }

  @Get('key_holders/:address')
  async keyHolder(@Param('address') address: string) {
    const r = await lcdQuery(this.node, '/trucom.grants.v1.Query/KeyHolder', pb.QueryKeyHolderRequest.encode({ holder: address }).finish(), decoder(pb.QueryKeyHolderResponse));
    return keyHolderJson(r.keyHolder!);
  }
}
